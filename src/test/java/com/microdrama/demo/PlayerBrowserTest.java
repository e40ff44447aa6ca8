package com.microdrama.demo;

import static com.microdrama.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.BrowserScript;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference H5 player (/) in Debian's chromium (src/test/browser/player.mjs), loaded from another origin than
 * the API it calls (the page from localhost, the API from 127.0.0.1, segments from storage's own origin), against
 * real transcoded, encrypted episodes: play through the key, switch rung, swipe to a prefetched episode, be refused
 * on a locked one, unlock it and play.
 */
@QuarkusTest
class PlayerBrowserTest {

    private static final int FREE = 3;
    private static final int PRICE = 30;
    private static final int EPISODES = FREE + 1;
    private static final long NODE_TIMEOUT_MINUTES = 4;

    @TestHTTPResource("/")
    URL base;

    @Test
    void a_viewer_plays_swipes_is_refused_on_a_locked_episode_and_plays_it_after_unlocking() throws Exception {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        String slug = Api.unique("web-player");
        Map<String, Object> body = Api.seriesBody(slug);
        body.put("title", "The Midnight Contract");
        body.put("freeEpisodeCount", FREE);
        body.put("coinPrice", PRICE);
        String seriesId = Api.createPublishedSeries(producer, body);
        Path tmp = Media.tempDir();
        for (int n = 1; n <= EPISODES; n++) {
            // 540×960 gives two rungs (540p, 360p) to switch between; 10 s leaves room to play past 4 s after it.
            Path clip = Media.clip(tmp, "episode-" + n + ".mp4", 540, 960, 10, true);
            as(producer).contentType("video/mp4").body(clip.toFile())
                    .post("/api/v1/producer/series/" + seriesId + "/episodes/" + n + "/source").then().statusCode(201);
            as(producer).post("/api/v1/producer/series/" + seriesId + "/episodes/" + n + "/publish").then().statusCode(200);
        }
        awaitVisibleEpisodes(slug, EPISODES, Duration.ofMinutes(3));

        String viewer = "viewer-web-" + Api.unique("v");
        URL api = new URL(base.getProtocol(), "127.0.0.1", base.getPort(), "");
        URL page = new URL(base.getProtocol(), "localhost", base.getPort(), "");
        assertStorageAnswersCors(slug, page.toString().replaceAll("/+$", ""));
        Files.deleteIfExists(BrowserScript.OUT.resolve("player-failure.png"));
        String output = BrowserScript.run("player.mjs", Map.of(
                "PAGE_ORIGIN", page.toString(),
                "API_ORIGIN", api.toString(),
                "SERIES", slug,
                "VIEWER_TOKEN", Tokens.of(Roles.VIEWER, viewer),
                "VIEWER_ID", viewer,
                "PAYMENT_TOKEN", Tokens.of(Roles.PAYMENT_SERVICE, "store"),
                "FREE_EPISODES", String.valueOf(FREE),
                "PRICE", String.valueOf(PRICE)), tmp, NODE_TIMEOUT_MINUTES);

        JsonPath summary = JsonPath.from(output);
        assertThat(summary.getString("pageOrigin")).isNotEqualTo(summary.getString("apiOrigin"));
        assertThat(summary.getBoolean("h264Mse")).as("chromium decodes H.264/AAC through MSE").isTrue();
        assertThat(summary.getList("fatalErrors")).isEmpty();
        assertThat(summary.getList("startGaps")).as("bufferSeekOverHole events").isEmpty();
        assertThat(summary.getInt("keyRequests")).isGreaterThanOrEqualTo(FREE);
        assertThat(summary.getList("swipes.swipeToFirstFrameMs", Integer.class)).hasSize(FREE - 1)
                .allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(summary.getList("swipes.prefetched", Boolean.class)).containsOnly(true);
        assertThat(summary.getInt("rungSwitch.to")).isNotEqualTo(summary.getInt("rungSwitch.from"));
        assertThat(summary.getDouble("episode1.currentTime")).isGreaterThan(4.0);
        assertThat(summary.getInt("unlocked.frames")).isPositive();
        BrowserScript.assertPng(BrowserScript.OUT.resolve("player-locked.png"), 412, 915, 5_000);
        BrowserScript.assertPng(BrowserScript.OUT.resolve("player-playing.png"), 412, 915, 5_000);
    }

    /** Segments come straight from storage: without its CORS the player cannot read one, whatever the app does. */
    private static void assertStorageAnswersCors(String slug, String origin) {
        String episode = given().get("/api/v1/series/" + slug + "/episodes")
                .then().extract().path("[0].id");
        String signed = given().redirects().follow(false)
                .get("/api/v1/episodes/" + episode + "/poster").then().statusCode(302).extract().header("Location");
        String granted = given().urlEncodingEnabled(false).header("Origin", origin)
                .get(signed).then().statusCode(200).extract().header("Access-Control-Allow-Origin");
        assertThat(granted).as("Access-Control-Allow-Origin from storage (%s) for %s. S3Proxy answers CORS only when "
                + "started with the s3proxy.cors-* settings of scripts/services.sh: one started before them must be "
                + "restarted (scripts/services.sh down, then up)", signed.replaceAll("\\?.*", ""), origin)
                .isIn(origin, "*");
    }

    private static void awaitVisibleEpisodes(String slug, int count, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<?> visible = given().get("/api/v1/series/" + slug + "/episodes")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            if (visible.size() == count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(visible.size() + " of " + count + " episodes ready after " + patience);
            }
            Thread.sleep(250);
        }
    }
}

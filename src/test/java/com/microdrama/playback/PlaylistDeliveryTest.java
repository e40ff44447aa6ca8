package com.microdrama.playback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import com.microdrama.support.Media;
import com.microdrama.transcode.TranscodeFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Signed HLS delivery as a real player sees it: ffmpeg plays the app's playlists over HTTP. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaylistDeliveryTest {

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    PlaybackToken tokens;
    @Inject
    PlaylistService playlists;
    @TestHTTPResource("/")
    URL base;

    private TranscodeFixtures.Queued ready;
    private TranscodeFixtures fixtures;

    /** Once per class (REST Assured is configured only once the test methods run, hence not @BeforeAll). */
    @BeforeEach
    void transcodeOneEpisode() throws Exception {
        if (ready != null) {
            return;
        }
        fixtures = new TranscodeFixtures(db, storage);
        ready = fixtures.queue(Media.clip(Media.tempDir(), "src.mp4", 540, 960, 3, true));
        assertThat(fixtures.awaitJob(ready.jobId(), Duration.ofSeconds(90)).get("state")).isEqualTo("succeeded");
    }

    private String token(Instant expiry) {
        return tokens.issue(new PlaybackToken.Grant("viewer-1", ready.episodeId(), ready.versionId(), expiry));
    }

    private String masterUrl(String token) {
        return base + "api/v1/playback/" + ready.versionId() + "/master.m3u8?token=" + token;
    }

    @Test
    void a_real_hls_client_plays_every_rung_with_the_key_through_the_signed_master() throws Exception {
        List<String> log = play(masterUrl(token(Instant.now().plusSeconds(600))));
        String all = String.join("\n", log);
        assertThat(all).contains("540p/index.m3u8?token=", "360p/index.m3u8?token=", "/api/v1/playback/keys/");
        assertThat(all).as("segments come straight from storage").contains("X-Amz-Signature=");
        assertThat(log.get(log.size() - 1)).isEqualTo("exit 0");
    }

    @Test
    void a_viewer_plays_a_locked_episode_only_after_unlocking_it() throws Exception {
        fixtures.publish(ready);
        Api.sql(db, "update series set free_episode_count = 0, coin_price = 25 where id = ?", ready.seriesId());
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        String playback = "/api/v1/episodes/" + ready.episodeId() + "/playback";

        Api.as(viewer).get(playback).then().statusCode(402).body("price", org.hamcrest.Matchers.equalTo(25));
        Api.as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(java.util.Map.of("viewerId", viewerId, "purchaseId", Api.unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        Api.as(viewer).header("Idempotency-Key", "play-1").post("/api/v1/episodes/" + ready.episodeId() + "/unlock")
                .then().statusCode(200);
        String master = Api.as(viewer).get(playback).then().statusCode(200).extract().path("masterUrl");

        List<String> log = play(base + master.substring(1));
        assertThat(log.get(log.size() - 1)).isEqualTo("exit 0");
        assertThat(String.join("\n", log)).contains("540p/index.m3u8?token=", "360p/index.m3u8?token=");
        Api.as(Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER))).get(playback).then().statusCode(402);
    }

    @Test
    void playlists_carry_the_token_only_where_needed_and_segments_stay_stable() {
        String token = token(Instant.now().plusSeconds(600));
        String master = given().urlEncodingEnabled(false).get(masterUrl(token)).then().statusCode(200)
                .contentType("application/vnd.apple.mpegurl").extract().asString();
        assertThat(master).contains("AVERAGE-BANDWIDTH=", "540p/index.m3u8?token=" + token);
        String media = given().urlEncodingEnabled(false)
                .get(base + "api/v1/playback/" + ready.versionId() + "/540p/index.m3u8?token=" + token)
                .then().statusCode(200).extract().asString();
        assertThat(media).contains("METHOD=AES-128,URI=\"/api/v1/playback/keys/" + ready.versionId() + "?token=" + token + "\"");
        String other = given().urlEncodingEnabled(false)
                .get(base + "api/v1/playback/" + ready.versionId() + "/540p/index.m3u8?token=" + token(Instant.now().plusSeconds(900)))
                .then().statusCode(200).extract().asString();
        List<String> segments = media.lines().filter(l -> l.startsWith("http")).toList();
        assertThat(segments).isNotEmpty().allMatch(l -> !l.contains(token));
        assertThat(other.lines().filter(l -> l.startsWith("http")).toList())
                .as("segment URLs are the same for every viewer (cacheable)").isEqualTo(segments);
        // Served once, both templates are on the hit path that skips storage and the Uni machinery.
        assertThat(playlists.cachedMaster(ready.episodeId(), ready.versionId())).isNotNull();
        assertThat(playlists.cachedMedia(ready.episodeId(), ready.versionId(), "540p")).isNotNull();
        assertThat(playlists.cachedMedia(ready.episodeId(), ready.versionId(), "1080p")).isNull();
        // Rendering chains shared bytes: a second render is byte-identical and the template is left intact.
        PlaylistTemplate template = playlists.cachedMedia(ready.episodeId(), ready.versionId(), "540p");
        assertThat(template.render(token).toString()).isEqualTo(media).isEqualTo(template.render(token).toString());
    }

    @Test
    void the_key_is_answered_only_for_a_valid_token_of_that_version() throws Exception {
        String token = token(Instant.now().plusSeconds(600));
        byte[] key = given().urlEncodingEnabled(false)
                .get(base + "api/v1/playback/keys/" + ready.versionId() + "?token=" + token)
                .then().statusCode(200).header("Cache-Control", containsString("no-store")).extract().asByteArray();
        assertThat(key).hasSize(16);

        String keyUrl = base + "api/v1/playback/keys/" + ready.versionId() + "?token=";
        String expired = token(Instant.now().minusSeconds(1));
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        String otherVersion = tokens.issue(new PlaybackToken.Grant("viewer-1", ready.episodeId(), UUID.randomUUID(),
                Instant.now().plusSeconds(600)));
        // Twice: a token seen before (and remembered as authentic, like the expired one) is still checked in full.
        for (int pass = 0; pass < 2; pass++) {
            for (String bad : List.of("", "garbage", expired, tampered, otherVersion)) {
                given().urlEncodingEnabled(false).get(keyUrl + bad).then().statusCode(403)
                        .contentType("application/problem+json");
                given().urlEncodingEnabled(false).get(masterUrl(bad)).then().statusCode(403);
            }
        }
        // The token may come anywhere in the query, and escaped; a parameter that merely ends in "token" is not it.
        String master = base + "api/v1/playback/" + ready.versionId() + "/master.m3u8";
        given().urlEncodingEnabled(false).get(master + "?player=ios&token=" + token + "&x=1").then().statusCode(200);
        given().urlEncodingEnabled(false).get(masterUrl(token.replace(".", "%2E"))).then().statusCode(200);
        given().urlEncodingEnabled(false).get(master + "?mytoken=" + token).then().statusCode(403);
        given().get(master).then().statusCode(403).body("detail", containsString("playback token is required"));
        given().urlEncodingEnabled(false).get(masterUrl(expired)).then().statusCode(403)
                .body("detail", containsString("expired"));
        List<String> expiredPlay = play(masterUrl(expired));
        assertThat(expiredPlay.get(expiredPlay.size() - 1)).isNotEqualTo("exit 0");
    }

    @Test
    void unknown_renditions_and_paths_are_refused() {
        String token = token(Instant.now().plusSeconds(600));
        given().urlEncodingEnabled(false)
                .get(base + "api/v1/playback/" + ready.versionId() + "/1080p/index.m3u8?token=" + token)
                .then().statusCode(404).contentType("application/problem+json");
        given().urlEncodingEnabled(false)
                .get(base + "api/v1/playback/" + ready.versionId() + "/..%2Fsecret/index.m3u8?token=" + token)
                .then().statusCode(400);
    }

    private static List<String> play(String url) throws IOException, InterruptedException {
        Path out = Files.createTempFile("play", ".log");
        Process p = new ProcessBuilder("ffmpeg", "-v", "verbose", "-xerror", "-i", url, "-map", "0", "-f", "null", "-")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        List<String> log = new ArrayList<>(Files.readAllLines(out));
        log.add(done ? "exit " + p.exitValue() : "timeout");
        return log;
    }
}

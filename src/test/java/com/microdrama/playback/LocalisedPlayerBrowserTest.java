package com.microdrama.playback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.BrowserScript;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import com.microdrama.transcode.TranscodeFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A real HLS player on a localised master: hls.js (pinned in src/test/browser/package.json) in Debian's chromium,
 * driven by src/test/browser/tracks.mjs, lists the original audio (the URI-less rendition) and a dub with the
 * viewer's preferred one DEFAULT, two subtitle languages, switches audio both ways (loading the dub's encrypted
 * segments through the key) and switches subtitles, whose cue appears at the time the producer gave.
 */
@QuarkusTest
class LocalisedPlayerBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @TestHTTPResource("/")
    URL base;

    @Test
    void hls_js_lists_and_switches_audio_and_subtitle_tracks() throws Exception {
        Path chromium = Path.of(Optional.ofNullable(System.getenv("CHROMIUM_PATH")).orElse("/usr/bin/chromium"));
        if (!Files.isExecutable(chromium) || !Files.isDirectory(BROWSER_DIR.resolve("node_modules/hls.js"))) {
            fail("needs chromium at " + chromium + " and `npm ci` in " + BROWSER_DIR + " (scripts/services.sh up --with-browser)");
        }
        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        TranscodeFixtures.Queued ready = fixtures.readyEpisode("player.mp4", 6);
        String episode = "/api/v1/producer/series/" + ready.seriesId() + "/episodes/1/";
        String producer = Tokens.bearer(fixtures.producerToken());
        given().header("Authorization", producer).contentType("text/vtt")
                .body("WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello\n".getBytes(StandardCharsets.UTF_8))
                .put(episode + "subtitles/en").then().statusCode(200);
        given().header("Authorization", producer).contentType("text/vtt")
                .body("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nBonjour\n".getBytes(StandardCharsets.UTF_8))
                .put(episode + "subtitles/fr").then().statusCode(200);
        UUID dub = UUID.fromString(given().header("Authorization", producer).contentType("audio/wav")
                .body(Media.ffmpeg("player-es.wav", "-f", "lavfi", "-i", "sine=frequency=880:duration=6").toFile())
                .put(episode + "audio/es").then().statusCode(202).extract().path("jobId"));
        assertThat(fixtures.awaitJob(dub, Duration.ofSeconds(90)).get("state")).isEqualTo("succeeded");

        String viewer = Tokens.bearer(Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER)));
        String master = given().header("Authorization", viewer).queryParam("audio", "es").queryParam("subtitles", "en")
                .get("/api/v1/episodes/" + ready.episodeId() + "/playback").then().statusCode(200)
                .extract().path("masterUrl");

        String summary = BrowserScript.run("tracks.mjs", Map.of(
                "BASE_URL", base.toString(),
                "MASTER_PATH", master,
                "AUDIO", "en,*es",
                "SUBTITLES", "*en,fr",
                "SWITCH_TO", "fr",
                "CUE_TEXT", "Bonjour",
                "CUE_START", "1.0"), Media.tempDir(), 3);
        System.out.println(summary);
    }
}

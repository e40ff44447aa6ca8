package com.microdrama.playback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import com.microdrama.transcode.TranscodeFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Dubbed audio as alternate HLS audio renditions of an episode the worker really transcoded: refused files each
 * with their reason (nothing stored, nothing queued), accepted ones encoded by an audio-only job of the same queue,
 * encrypted with the version's key, listed by ffprobe and decoded by ffmpeg, the ladder left as it was.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DubTracksTest {

    private static final double EPISODE_SECONDS = 6;

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @TestHTTPResource("/")
    URL base;

    private TranscodeFixtures fixtures;
    private TranscodeFixtures.Queued ready;

    @BeforeEach
    void transcodeOneEpisode() throws Exception {
        if (ready != null) {
            return;
        }
        fixtures = new TranscodeFixtures(db, storage);
        // A 440 Hz tone in the original; the dubs are 880 Hz and 1320 Hz, so a decode tells which one played.
        ready = fixtures.readyEpisode("dubbed.mp4", EPISODE_SECONDS);
    }

    private ValidatableResponse put(String language, Path file) {
        return given().header("Authorization", Tokens.bearer(fixtures.producerToken()))
                .contentType("application/octet-stream").body(file.toFile())
                .put("/api/v1/producer/series/" + ready.seriesId() + "/episodes/1/audio/" + language).then();
    }

    @Test
    void bad_audio_is_refused_with_its_own_reason_and_nothing_is_stored_or_queued() throws Exception {
        List<String> storedBefore = storage.list("raw/dubs/" + ready.episodeId() + "/");
        long tracksBefore = count("select count(*) from media_track where version_id = ? and kind = 'audio'");
        long jobsBefore = count("select count(*) from transcode_job where version_id = ? and kind = 'dub'");
        Path tooShort = Media.ffmpeg("dub-short.wav", "-f", "lavfi", "-i", "sine=frequency=880:duration=4.2");
        JsonPath shortAnswer = put("es", tooShort).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("the audio lasts 4.20 s and the episode 6.00 s: 1.80 s shorter"))
                .extract().jsonPath();
        assertThat(shortAnswer.getDouble("differenceSeconds")).isEqualTo(-1.8);
        Path tooLong = Media.ffmpeg("dub-long.wav", "-f", "lavfi", "-i", "sine=frequency=880:duration=7.5");
        put("es", tooLong).statusCode(422).body("detail", containsString("1.50 s longer"));
        put("es", Media.landscape()).statusCode(422).body("detail", equalTo("no audio stream"));
        put("es", Media.textAsMp4()).statusCode(422).body("detail", containsString("container 'text' is not accepted"));
        put("es", Media.write("dub-empty.wav", new byte[0])).statusCode(422).body("detail", containsString("empty"));
        put("en", Media.ffmpeg("dub-ok.wav", "-f", "lavfi", "-i", "sine=frequency=880:duration=6"))
                .statusCode(400).body("errors[0].field", equalTo("language"));

        assertThat(storage.list("raw/dubs/" + ready.episodeId() + "/")).isEqualTo(storedBefore);
        assertThat(count("select count(*) from media_track where version_id = ? and kind = 'audio'")).isEqualTo(tracksBefore);
        assertThat(count("select count(*) from transcode_job where version_id = ? and kind = 'dub'")).isEqualTo(jobsBefore);
    }

    @Test
    void dubs_are_audio_only_jobs_whose_renditions_players_list_and_decode_through_the_key() throws Exception {
        List<String> ladderBefore = storage.list("hls/" + ready.episodeId() + "/" + ready.versionId() + "/360p/");
        String ladderFinished = String.valueOf(fixtures.awaitJob(ready.jobId(), Duration.ofSeconds(1)).get("finished_at"));

        // An audio file, and a video whose audio is taken (0.4 s longer than the episode: within tolerance).
        UUID spanish = UUID.fromString(put("es", Media.ffmpeg("dub-es.wav", "-f", "lavfi", "-i",
                "sine=frequency=880:duration=6")).statusCode(202).body("state", equalTo("processing"))
                .extract().path("jobId"));
        Path frenchVideo = Media.ffmpeg("dub-fr.mp4", "-f", "lavfi", "-i", "testsrc=s=180x320:r=25:d=6.4", "-f",
                "lavfi", "-i", "sine=frequency=1320:duration=6.4", "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", "-shortest");
        UUID french = UUID.fromString(put("fr", frenchVideo).statusCode(202).extract().path("jobId"));

        // Operators see them in the one queue, as dubs.
        String operator = Tokens.of(Roles.OPERATOR, "ops-dub");
        given().header("Authorization", Tokens.bearer(operator)).get("/api/v1/admin/jobs/" + spanish).then()
                .statusCode(200).body("kind", equalTo("dub")).body("priority", equalTo(50));
        assertThat(fixtures.awaitJob(spanish, Duration.ofSeconds(90)).get("state")).isEqualTo("succeeded");
        assertThat(fixtures.awaitJob(french, Duration.ofSeconds(90)).get("state")).isEqualTo("succeeded");

        assertThat(storage.list("hls/" + ready.episodeId() + "/" + ready.versionId() + "/360p/"))
                .as("the ladder was not re-encoded").isEqualTo(ladderBefore);
        assertThat(String.valueOf(fixtures.awaitJob(ready.jobId(), Duration.ofSeconds(1)).get("finished_at")))
                .isEqualTo(ladderFinished);

        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        JsonPath playback = given().header("Authorization", Tokens.bearer(viewer)).queryParam("audio", "es-MX")
                .get("/api/v1/episodes/" + ready.episodeId() + "/playback").then().statusCode(200).extract().jsonPath();
        assertThat(playback.getList("audio.language", String.class)).containsExactly("en", "es", "fr");
        assertThat(playback.getList("audio.isDefault", Boolean.class)).containsExactly(false, true, false);
        String masterUrl = base + playback.getString("masterUrl").substring(1);
        String master = fetch(masterUrl);
        assertThat(master).contains(
                "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"en\",NAME=\"English\",DEFAULT=NO,AUTOSELECT=YES\n",
                "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"es\",NAME=\"Español\",DEFAULT=YES,AUTOSELECT=YES,URI=\"a-",
                "LANGUAGE=\"fr\",NAME=\"Français\",DEFAULT=NO");
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF"))).isNotEmpty()
                .allMatch(l -> l.endsWith(",AUDIO=\"audio\""));

        // ffprobe through the master: the video, the muxed original audio and both dubs, named by language.
        String streams = run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,start_time:stream_tags=language",
                "-of", "csv=p=0", masterUrl);
        // ffmpeg's HLS demuxer also gives the URI-less rendition's language to the variant's own (muxed) audio.
        assertThat(streams.lines().filter(l -> l.startsWith("audio,")).map(l -> l.substring(l.lastIndexOf(',') + 1)))
                .contains("en", "es", "fr");

        // The chosen dub decodes through the version's key (the AES-128 key URI in its playlist) and is the dub.
        String spanishPlaylist = fetch(base + "api/v1/playback/" + ready.versionId() + "/" + uriOf(master, "es"));
        assertThat(spanishPlaylist).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"/api/v1/playback/keys/" + ready.versionId());
        String video = fetch(base + "api/v1/playback/" + ready.versionId() + "/" + firstVariant(master));
        assertThat(extinf(spanishPlaylist)).hasSameSizeAs(extinf(video));
        for (int i = 0; i < extinf(video).size(); i++) {
            assertThat(extinf(spanishPlaylist).get(i)).isCloseTo(extinf(video).get(i), org.assertj.core.data.Offset.offset(0.05));
        }
        String dubUrl = base + "api/v1/playback/" + ready.versionId() + "/" + uriOf(master, "es");
        double dubStart = Double.parseDouble(run("ffprobe", "-v", "error", "-show_entries", "stream=start_time", "-of",
                "csv=p=0", dubUrl).lines().findFirst().orElseThrow().replace(",", ""));
        double audioStart = Double.parseDouble(run("ffprobe", "-v", "error", "-select_streams", "a", "-show_entries",
                "stream=start_time", "-of", "csv=p=0", base + "api/v1/playback/" + ready.versionId() + "/"
                        + firstVariant(master)).lines().findFirst().orElseThrow().replace(",", ""));
        assertThat(dubStart).as("the dub starts where the muxed audio does").isCloseTo(audioStart,
                org.assertj.core.data.Offset.offset(0.03));
        assertThat(dominantFrequency(dubUrl)).isBetween(860.0, 900.0);
        assertThat(dominantFrequency(base + "api/v1/playback/" + ready.versionId() + "/" + uriOf(master, "fr")))
                .isBetween(1290.0, 1350.0);

        // A dub job left failed (as a worker leaves one whose retries ran out) is retried by an operator like any
        // job: its track goes back to processing, the job runs again and the dub is live again; the version
        // itself never moved.
        com.microdrama.support.Api.sql(db, "update transcode_job set state = 'failed', finished_at = now(), "
                + "error_message = 'storage was away' where id = ?", french);
        com.microdrama.support.Api.sql(db, "update media_track set state = 'failed' where id = "
                + "(select track_id from transcode_job where id = ?)", french);
        given().header("Authorization", Tokens.bearer(operator)).post("/api/v1/admin/jobs/" + french + "/retry")
                .then().statusCode(200).body("kind", equalTo("dub"));
        assertThat(fixtures.awaitJob(french, Duration.ofSeconds(90)).get("state")).isEqualTo("succeeded");
        assertThat(fetch(masterUrl)).contains("LANGUAGE=\"fr\"");
        assertThat(count("select count(*) from episode_version where id = ? and state = 'ready'")).isOne();

        // A producer takes a dub off: the next master no longer offers it, and its segments are gone.
        String spanishDir = uriOf(master, "es").substring(0, uriOf(master, "es").indexOf('/'));
        given().header("Authorization", Tokens.bearer(fixtures.producerToken()))
                .delete("/api/v1/producer/series/" + ready.seriesId() + "/episodes/1/audio/es").then().statusCode(204);
        assertThat(fetch(masterUrl)).doesNotContain("LANGUAGE=\"es\"").contains("LANGUAGE=\"fr\"");
        assertThat(storage.list("hls/" + ready.episodeId() + "/" + ready.versionId() + "/" + spanishDir)).isEmpty();
    }

    /** Decodes the first audio of a playlist to PCM and counts zero crossings: a pure tone's frequency. */
    private static double dominantFrequency(String url) throws Exception {
        Path pcm = Files.createTempFile("dub", ".pcm");
        run("ffmpeg", "-v", "error", "-y", "-i", url, "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "s16le",
                pcm.toString());
        ByteBuffer samples = ByteBuffer.wrap(Files.readAllBytes(pcm)).order(ByteOrder.LITTLE_ENDIAN);
        int n = samples.remaining() / 2;
        // The middle second, away from encoder priming and padding.
        int from = Math.max(0, n / 2 - 24000);
        int crossings = 0;
        short previous = samples.getShort(from * 2);
        for (int i = from + 1; i < from + 48000 && i < n; i++) {
            short s = samples.getShort(i * 2);
            if ((previous < 0) != (s < 0)) {
                crossings++;
            }
            previous = s;
        }
        return crossings / 2.0;
    }

    private static String run(String... command) throws Exception {
        Path out = Files.createTempFile("run", ".txt");
        Path err = Files.createTempFile("run", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return Files.readString(out);
    }

    private static List<Double> extinf(String playlist) {
        return playlist.lines().filter(l -> l.startsWith("#EXTINF:"))
                .map(l -> Double.parseDouble(l.substring(8, l.indexOf(',')))).toList();
    }

    private static String firstVariant(String master) {
        return master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    }

    private static String uriOf(String master, String language) {
        Matcher m = Pattern.compile("LANGUAGE=\"" + language + "\"[^\\n]*URI=\"([^\"]+)\"").matcher(master);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String fetch(String url) {
        return given().urlEncodingEnabled(false).get(url).then().statusCode(200).extract().asString();
    }

    private long count(String sql) {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setObject(1, ready.versionId());
            var rs = ps.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

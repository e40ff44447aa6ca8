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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Producers' subtitles as HLS subtitle renditions of an episode really transcoded by the worker: refused files
 * each with their own line and reason (and nothing stored), accepted ones served in the token-gated master and read
 * back by ffmpeg at the right times.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubtitleTracksTest {

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
        ready = fixtures.readyEpisode("subs.mp4", EPISODE_SECONDS);
    }

    private ValidatableResponse put(String language, byte[] file) {
        return given().header("Authorization", Tokens.bearer(fixtures.producerToken())).contentType("text/vtt")
                .body(file).put(subtitlesPath(language)).then();
    }

    private String subtitlesPath(String language) {
        return "/api/v1/producer/series/" + ready.seriesId() + "/episodes/1/subtitles/" + language;
    }

    @Test
    void bad_files_are_refused_each_with_its_line_and_reason_and_leave_nothing_in_storage() throws Exception {
        byte[] latin1 = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nCaf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1);
        refused(latin1, 4, "is not UTF-8");
        refused(vtt("00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:03,000 --> 00:00:04.000\ncomma\n"), 6,
                "malformed cue timing");
        refused(vtt("00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:05.000 --> 00:00:09.500\nlate\n"), 6,
                "ends at 00:00:09.500, after the episode's end at 00:00:06.");
        refused(vtt("00:00:03.000 --> 00:00:02.000\nbackwards\n"), 3, "before it starts");
        refused(vtt("00:00:01.000 --> 00:00:02.000\nfirst\n00:00:02.500 --> 00:00:03.000\nno blank line\n"), 5,
                "must not contain '-->'");
        refused("Just some text\nthat is not subtitles\n".getBytes(StandardCharsets.UTF_8), 1, "neither WebVTT");
        refused("1\n00:00:01,000 --> 00:00:02,000\nok\n\nx2\n00:00:03,000 --> 00:00:04,000\nbad number\n"
                .getBytes(StandardCharsets.UTF_8), 5, "expected a cue number");
        refused(vtt("NOTE only a note\n"), 0, "no cues");
        refused(("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + "x".repeat(600_000) + "\n").getBytes(StandardCharsets.UTF_8),
                0, "at most 524288 bytes");

        assertThat(storage.list("hls/" + ready.episodeId() + "/" + ready.versionId() + "/s-"))
                .as("no refused file left objects").isEmpty();
        assertThat(trackRows()).isZero();
        given().header("Authorization", Tokens.bearer(Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER))))
                .contentType("text/vtt").body(vtt("00:00:01.000 --> 00:00:02.000\nmine\n"))
                .put(subtitlesPath("fr")).then().statusCode(403);
    }

    private void refused(byte[] file, int line, String problem) {
        JsonPath answer = put("fr", file).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString(problem)).extract().jsonPath();
        assertThat(answer.getInt("line")).as(answer.getString("detail")).isEqualTo(line);
        assertThat(answer.getString("detail")).startsWith(line > 0 ? "line " + line + ": " : "file: ");
    }

    @Test
    void subtitles_become_live_renditions_of_the_master_and_ffmpeg_reads_the_cues_at_their_times() throws Exception {
        put("en", vtt("""
                intro
                00:00:01.000 --> 00:00:02.500 line:90%
                <font color="red">Hello</font> <b>there</b> <script>x</script> & co

                00:00:04.200 --> 00:00:05.400
                <v Anna>Goodbye</v>
                """)).statusCode(200).body("language", equalTo("en")).body("cues", equalTo(2));
        put("es-419", ("1\n00:00:00,500 --> 00:00:03,000\n{\\an8}<i>Hola</i>\n\n2\n00:00:03,500 --> 00:00:05,900\nAdiós\n")
                .getBytes(StandardCharsets.UTF_8)).statusCode(200).body("language", equalTo("es-419"));

        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        JsonPath playback = given().header("Authorization", Tokens.bearer(viewer)).queryParam("subtitles", "es")
                .get("/api/v1/episodes/" + ready.episodeId() + "/playback").then().statusCode(200).extract().jsonPath();
        assertThat(playback.getList("subtitles.language", String.class)).containsExactly("en", "es-419");
        assertThat(playback.getList("subtitles.isDefault", Boolean.class)).containsExactly(false, true);
        assertThat(playback.getList("audio.language", String.class)).containsExactly("en");
        String masterUrl = base + playback.getString("masterUrl").substring(1);
        assertThat(masterUrl).contains("&subtitles=es");

        // Saved settings decide when the call names nothing; a query parameter still wins over them.
        given().header("Authorization", Tokens.bearer(viewer)).contentType("application/json")
                .body("{\"subtitles\":\"EN\",\"audio\":null}").put("/api/v1/me/languages").then().statusCode(200)
                .body("subtitles", equalTo("en"));
        given().header("Authorization", Tokens.bearer(viewer)).contentType("application/json")
                .body("{\"subtitles\":\"e n\"}").put("/api/v1/me/languages").then().statusCode(400);
        JsonPath bySettings = given().header("Authorization", Tokens.bearer(viewer))
                .get("/api/v1/episodes/" + ready.episodeId() + "/playback").then().statusCode(200).extract().jsonPath();
        assertThat(bySettings.getList("subtitles.isDefault", Boolean.class)).containsExactly(true, false);
        assertThat(fetch(base + bySettings.getString("masterUrl").substring(1)))
                .contains("LANGUAGE=\"en\",NAME=\"English\",DEFAULT=YES", "LANGUAGE=\"es-419\",NAME=\"Español (Latinoamérica)\",DEFAULT=NO");

        String master = fetch(masterUrl);
        assertThat(master).contains(
                "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",LANGUAGE=\"en\",NAME=\"English\",DEFAULT=NO,AUTOSELECT=YES",
                "LANGUAGE=\"es-419\",NAME=\"Español (Latinoamérica)\",DEFAULT=YES");
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF"))).isNotEmpty()
                .allMatch(l -> l.endsWith(",SUBTITLES=\"subs\"") && !l.contains("AUDIO="));

        // Segmented like the video, one WebVTT segment per video segment, mapped to the video's first timestamp.
        String video = fetch(base + "api/v1/playback/" + ready.versionId() + "/" + firstVariant(master));
        String subtitles = fetch(base + "api/v1/playback/" + ready.versionId() + "/" + uriOf(master, "en"));
        assertThat(extinfs(subtitles)).isEqualTo(extinfs(video));
        List<String> segmentUrls = subtitles.lines().filter(l -> l.startsWith("http")).toList();
        String firstSegment = fetch(segmentUrls.get(0));
        long videoStartPts = Math.round(Double.parseDouble(probe(masterUrl, "v", "stream=start_time").lines().findFirst().orElseThrow().strip()) * 90000);
        Matcher map = Pattern.compile("X-TIMESTAMP-MAP=MPEGTS:(\\d+),LOCAL:00:00:00.000").matcher(firstSegment);
        assertThat(map.find()).as(firstSegment).isTrue();
        assertThat(Long.parseLong(map.group(1))).isBetween(videoStartPts - 2000, videoStartPts + 2000);
        assertThat(firstSegment).contains("00:00:01.000 --> 00:00:02.500 line:90%\nHello <b>there</b> x &amp; co")
                .doesNotContain("font", "script");

        // ffmpeg 5.1's HLS demuxer refuses subtitle renditions in a master ("Can't support the subtitle"), so it
        // reads the rendition the master names, as a player does: the cues come out at the episode's times (the
        // X-TIMESTAMP-MAP above maps them onto the video's timestamps for players that use it, hls.js included).
        assertThat(probe(base + "api/v1/playback/" + ready.versionId() + "/" + uriOf(master, "en"), "s",
                "packet=pts_time,duration_time").lines().map(l -> l.replaceAll(",$", ""))
                .filter(l -> !l.isBlank()).distinct().toList())
                .containsExactly("1.000000,1.500000", "4.200000,1.200000");
        assertThat(probe(base + "api/v1/playback/" + ready.versionId() + "/" + uriOf(master, "es-419"), "s",
                "packet=pts_time,duration_time").lines().map(l -> l.replaceAll(",$", ""))
                .filter(l -> !l.isBlank()).distinct().toList())
                .containsExactly("0.500000,2.500000", "3.500000,2.400000");

        // A replacement is live in the next master, under a new directory; a removal takes the language away.
        String oldEnglish = uriOf(master, "en");
        put("en", vtt("00:00:02.000 --> 00:00:03.000\nReplaced\n")).statusCode(200);
        String replaced = fetch(masterUrl);
        assertThat(uriOf(replaced, "en")).isNotEqualTo(oldEnglish);
        assertThat(fetch(base + "api/v1/playback/" + ready.versionId() + "/" + uriOf(replaced, "en"))
                .lines().filter(l -> l.startsWith("http")).map(SubtitleTracksTest::fetch).toList())
                .allMatch(segment -> !segment.contains("Hello")).anyMatch(segment -> segment.contains("Replaced"));
        String spanishDir = uriOf(replaced, "es-419").substring(0, uriOf(replaced, "es-419").indexOf('/'));
        given().header("Authorization", Tokens.bearer(fixtures.producerToken())).delete(subtitlesPath("es-419"))
                .then().statusCode(204);
        given().header("Authorization", Tokens.bearer(fixtures.producerToken())).delete(subtitlesPath("es-419"))
                .then().statusCode(404);
        assertThat(fetch(masterUrl)).doesNotContain("es-419").contains("LANGUAGE=\"en\"");
        assertThat(storage.list("hls/" + ready.episodeId() + "/" + ready.versionId() + "/" + spanishDir)).isEmpty();
    }

    private String probe(String url, String streams, String entries) throws Exception {
        Path out = Files.createTempFile("probe", ".txt");
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", streams, "-show_entries", entries,
                "-of", "csv=p=0", url).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return Files.readString(out);
    }

    private static String firstVariant(String master) {
        return master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    }

    private static String uriOf(String master, String language) {
        Matcher m = Pattern.compile("LANGUAGE=\"" + language + "\"[^\\n]*URI=\"([^\"]+)\"").matcher(master);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static List<String> extinfs(String playlist) {
        return playlist.lines().filter(l -> l.startsWith("#EXTINF")).toList();
    }

    private static String fetch(String url) {
        return given().urlEncodingEnabled(false).get(url).then().statusCode(200).extract().asString();
    }

    private long trackRows() {
        try (var c = db.getConnection(); var ps = c.prepareStatement("select count(*) from media_track where version_id = ?")) {
            ps.setObject(1, ready.versionId());
            var rs = ps.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] vtt(String body) {
        return ("WEBVTT\n\n" + body).getBytes(StandardCharsets.UTF_8);
    }
}

package com.microdrama.upload;

import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.media.MediaProbe;
import com.microdrama.core.media.MediaRejected;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Media;
import com.microdrama.support.Storage;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Bad and hostile files, each refused with its own reason before it reaches the transcoder; nothing is kept. */
@QuarkusTest
class HostileMediaTest {

    private static final String NOT_ACCEPTED = "is not accepted; send MP4/MOV, Matroska/WebM or MPEG-TS";

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    MediaProbe probe;

    /** Streams the file through the API and returns the refusal's detail, after checking nothing was kept. */
    private String refusal(Path file) {
        String series = createSeries(producer, seriesBody(unique("bad")));
        String detail = given().header("Authorization", Tokens.bearer(producer)).contentType("video/mp4")
                .body(Media.bytes(file))
                .post("/api/v1/producer/series/" + series + "/episodes/1/source").then()
                .statusCode(422).contentType("application/problem+json")
                .body("title", equalTo("Media refused"))
                .body("state", equalTo("failed"))
                .extract().path("detail");
        assertThat(Storage.keys(storage, "raw/" + series + "/")).as("objects left after refusing " + file).isEmpty();
        assertThat(Storage.pendingMultiparts(storage, "raw/" + series + "/")).isZero();
        assertThat(Db.rows(db, "select 1 from episode where series_id = ?", UUID.fromString(series))).isEmpty();
        assertThat(Db.row(db, "select state, failure_reason from upload where series_id = ?", UUID.fromString(series)))
                .containsEntry("state", "failed").containsEntry("failure_reason", detail);
        return detail;
    }

    @Test
    void zero_bytes() {
        assertThat(refusal(Media.zeroBytes())).isEqualTo("the file is empty (0 bytes)");
    }

    @Test
    void text_named_mp4() {
        assertThat(refusal(Media.textAsMp4())).isEqualTo("container 'text' " + NOT_ACCEPTED);
    }

    @Test
    void truncated_mp4() {
        assertThat(refusal(Media.truncated()))
                .isEqualTo("the file is not a readable video (moov atom not found); it may be truncated or damaged");
    }

    @Test
    void audio_only() {
        assertThat(refusal(Media.audioOnly())).isEqualTo("no video stream");
    }

    @Test
    void single_frame() {
        assertThat(refusal(Media.singleFrame())).isEqualTo("the video has a single frame; an episode must be moving pictures");
    }

    @Test
    void too_short() {
        assertThat(refusal(Media.tooShort())).isEqualTo("duration 0.4 s is below the 1 s minimum");
    }

    @Test
    void over_long_duration_claim() {
        assertThat(refusal(Media.overLongClaim())).isEqualTo("duration 1199.96 s is above the 900 s maximum");
    }

    @Test
    void landscape_is_refused_with_its_size() {
        assertThat(refusal(Media.landscape())).isEqualTo("landscape 320×180: episodes must be vertical");
    }

    @Test
    void rotation_metadata_decides_the_orientation() {
        Path rotatedLandscape = Media.ffmpeg("vertical-rotated.mp4", "-i", Media.vertical().toString(), "-c", "copy",
                "-metadata:s:v:0", "rotate=90");
        assertThat(refusal(rotatedLandscape)).isEqualTo("landscape 320×180: episodes must be vertical");

        String series = createSeries(producer, seriesBody(unique("rot")));
        given().header("Authorization", Tokens.bearer(producer)).contentType("video/mp4")
                .body(Media.bytes(Media.rotatedToVertical()))
                .post("/api/v1/producer/series/" + series + "/episodes/1/source").then()
                .statusCode(201).body("probe.width", equalTo(180)).body("probe.height", equalTo(320))
                .body("probe.codedWidth", equalTo(320));
    }

    @Test
    void oversized_frame_and_insane_frame_rate() {
        Path tall = Media.ffmpeg("tall.mp4", "-f", "lavfi", "-i", "color=s=64x4112:r=5:d=1.2", "-c:v", "libx264",
                "-preset", "ultrafast");
        assertThat(refusal(tall)).isEqualTo("size 64×4112 is above the 4096 pixel limit on the longest side");
        Path fast = Media.ffmpeg("fast.mp4", "-f", "lavfi", "-i", "color=s=90x160:r=240:d=1.1", "-c:v", "libx264",
                "-preset", "ultrafast");
        assertThat(refusal(fast)).isEqualTo("frame rate 240 fps is outside 5–120 fps");
    }

    @Test
    void hls_playlist_disguised_as_mp4_never_reads_what_it_points_at() throws Exception {
        Secret secret = Secret.create();
        Path playlist = Media.write("playlist.mp4", ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
                + "#EXTINF:10,\nfile://" + secret.fifo + "\n#EXTINF:10,\n" + secret.file + "\n"
                + "#EXTINF:10,\n" + Media.vertical() + "\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(playlist)).isEqualTo("container 'hls' " + NOT_ACCEPTED);
        secret.assertNeverRead(storage);

        // Control: the protocol whitelist alone would not have saved us (file: is allowed), and the pipe detects it.
        Path copy = Files.copy(playlist, Media.dir().resolve("control-" + UUID.randomUUID()));
        Process unfenced = new ProcessBuilder("ffprobe", "-v", "error", "-protocol_whitelist", "file",
                "file:" + copy).redirectErrorStream(true).start();
        unfenced.getInputStream().readAllBytes();
        unfenced.waitFor();
        assertThat(secret.opened().get()).as("ffprobe without the demuxer whitelist follows the playlist").isTrue();
    }

    @Test
    void concat_and_subfile_references_never_read_what_they_point_at() throws Exception {
        Secret secret = Secret.create();
        Path protocol = Media.write("concat.mp4", ("concat:" + secret.fifo + "|" + secret.file)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(protocol)).isEqualTo("container 'text' " + NOT_ACCEPTED);
        Path script = Media.write("ffconcat.mp4", ("ffconcat version 1.0\nfile 'subfile,,start,0,end,100,,:"
                + secret.file + "'\nfile '" + secret.fifo + "'\n").getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(script)).isEqualTo("container 'concat' " + NOT_ACCEPTED);
        secret.assertNeverRead(storage);
        secret.release();
    }

    @Test
    void a_refusal_through_the_direct_path_leaves_a_failed_upload_with_the_same_reason() throws Exception {
        String series = createSeries(producer, seriesBody(unique("dbad")));
        byte[] bytes = Media.bytes(Media.landscape());
        var upload = Api.as(producer).body(Map.of("seriesId", series, "episodeNumber", 1, "size", bytes.length,
                "contentType", "video/mp4")).post("/api/v1/producer/uploads").then().statusCode(201).extract().jsonPath();
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(upload.getString("partUrls[0].url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
        String id = upload.getString("id");
        Api.as(producer).post("/api/v1/producer/uploads/" + id + "/complete").then()
                .statusCode(422).body("detail", equalTo("landscape 320×180: episodes must be vertical"));
        Api.as(producer).get("/api/v1/producer/uploads/" + id).then()
                .body("state", equalTo("failed"))
                .body("failureReason", equalTo("landscape 320×180: episodes must be vertical"));
        assertThat(Storage.keys(storage, "raw/" + series + "/")).isEmpty();
    }

    @Test
    void the_probe_is_fenced_to_local_files_and_accepted_demuxers_and_killed_when_slow() {
        assertThat(MediaProbe.fenceArguments())
                .containsSubsequence("-protocol_whitelist", "file")
                .containsSubsequence("-format_whitelist", "mov,mp4,matroska,webm,mpegts");
        try {
            probe.probe(Media.vertical(), Duration.ofMillis(1));
            throw new AssertionError("a 1 ms budget cannot be met");
        } catch (MediaRejected e) {
            assertThat(e.reason()).isEqualTo("the file could not be analysed within 1 ms");
        }
    }

    /**
     * A secret file and a named pipe next to it. Opening the pipe for reading is the only way to unblock the
     * writer thread, so if anything (ffprobe following a reference) opened it, the flag says so.
     */
    private record Secret(Path file, Path fifo, String content, AtomicBoolean opened) {

        static Secret create() throws Exception {
            Path dir = Files.createTempDirectory(Media.dir(), "secret-");
            String content = "TOPSECRET-" + UUID.randomUUID();
            // .ts names: the hls demuxer of ffmpeg 5.1 only follows segment names with media extensions.
            Path file = Files.writeString(dir.resolve("secret-segment.ts"), content);
            Path fifo = dir.resolve("secret-pipe.ts");
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assertThat(mkfifo.waitFor()).isZero();
            AtomicBoolean opened = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                    opened.set(true);
                    out.write(content.getBytes(StandardCharsets.UTF_8));
                } catch (Exception ignored) {
                    // the reader went away: fine
                }
            });
            writer.setDaemon(true);
            writer.start();
            return new Secret(file, fifo, content, opened);
        }

        void assertNeverRead(ObjectStorage storage) {
            assertThat(opened.get()).as("the named pipe was opened by someone").isFalse();
            for (String key : Storage.keys(storage, "raw/")) {
                assertThat(new String(Storage.read(storage, key), StandardCharsets.ISO_8859_1)).doesNotContain(content);
            }
        }

        void release() throws Exception {
            if (!opened.get()) {
                new FileInputStream(fifo.toFile()).close();
            }
        }
    }

}

package com.microdrama.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import com.microdrama.transcode.TranscodeFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operators' dashboard in a real browser (Debian's chromium driven by playwright-core, see
 * src/test/browser/dashboard.mjs) against this very app: real API, real live events, real workers and ffmpeg.
 */
@QuarkusTest
class AdminDashboardBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final Path SCRIPT = BROWSER_DIR.resolve("dashboard.mjs");
    private static final Path OUT = Path.of("target/browser");
    private static final long NODE_TIMEOUT_MINUTES = 3;
    private static final String INSTALL = "run scripts/services.sh up (README's test command does), or by hand: "
            + "sudo apt-get install -y chromium && (cd src/test/browser && npm ci)";
    private static final String FAILURE = "ffmpeg exited with code 1: the source cannot be transcoded";
    // The log tail is attacker-influenced (it echoes the uploaded file): the page must show it as text.
    private static final String LOG_TAIL = """
            [mov,mp4,m4a,3gp,3g2,mj2 @ 0x5581c0] moov atom not found
            <img src=x onerror="document.title='pwned'"><script>alert(1)</script>
            Conversion failed!""";

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @TestHTTPResource("/")
    URL base;

    @Test
    void an_operator_watches_an_upload_finish_live_and_retries_a_failed_job() throws Exception {
        Path chromium = Path.of(Optional.ofNullable(System.getenv("CHROMIUM_PATH")).orElse("/usr/bin/chromium"));
        Path node = onPath("node").orElse(null);
        if (!Files.isExecutable(chromium)) {
            fail("chromium is missing at " + chromium + "; " + INSTALL);
        }
        if (node == null) {
            fail("node is not on PATH; the browser test needs Node.js 20+ with npm");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            fail("playwright-core is not installed in " + BROWSER_DIR + "/node_modules; " + INSTALL);
        }

        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        Path tmp = Media.tempDir();
        Map<String, Object> body = Api.seriesBody(Api.unique("dashboard"));
        body.put("title", "The CEO Returns");
        String seriesId = Api.createSeries(fixtures.producerToken(), body);
        TranscodeFixtures.Queued failed = fixtures.queueFailed(Media.clip(tmp, "retry-source.mp4", 360, 640, 2, true),
                FAILURE, LOG_TAIL);
        Path clip = Media.clip(tmp, "dashboard-upload.mp4", 360, 640, 3, true);

        Files.createDirectories(OUT);
        for (String old : List.of("dashboard.png", "detail.png", "detail-after-retry.png", "failure.png")) {
            Files.deleteIfExists(OUT.resolve(old));
        }
        Path log = OUT.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(node.toString(), SCRIPT.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Nothing inherited from Maven's environment: only what the script and chromium need.
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", tmp.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("LANG", "C.UTF-8");
        env.put("BASE_URL", base.toString().replaceAll("/+$", ""));
        env.put("OPERATOR_TOKEN", Tokens.of(Roles.OPERATOR, "ops-dashboard"));
        env.put("PRODUCER_TOKEN", fixtures.producerToken());
        env.put("SERIES_ID", seriesId);
        env.put("CLIP_PATH", clip.toAbsolutePath().toString());
        env.put("FAILED_JOB_ID", failed.jobId().toString());
        env.put("FAILED_JOB_ERROR", "the source cannot be transcoded");
        env.put("FAILED_JOB_LOG", "<img src=x onerror=");
        env.put("OUT_DIR", OUT.toAbsolutePath().toString());
        env.put("CHROMIUM_PATH", chromium.toString());

        Process process = builder.start();
        if (!process.waitFor(NODE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the browser test did not finish in " + NODE_TIMEOUT_MINUTES + " min; output:\n" + read(log));
        }
        assertThat(process.exitValue()).as("dashboard.mjs exit code; output (%s):%n%s", log, read(log)).isZero();
        assertThat(read(log)).contains("\"ok\": true");

        assertPng(OUT.resolve("dashboard.png"), 1440, 900);
        assertPng(OUT.resolve("detail.png"), 1440, 900);

        Map<String, Object> retried = Db.row(db, "select state, attempts from transcode_job where id = ?", failed.jobId());
        assertThat(retried).containsEntry("state", "succeeded").containsEntry("attempts", 2);
        assertThat(Db.rows(db, "select outcome from transcode_attempt where job_id = ? order by attempt", failed.jobId()))
                .extracting(r -> r.get("outcome")).containsExactly("failed", "succeeded");
        List<Map<String, Object>> uploaded = Db.rows(db, """
                select j.state from transcode_job j join episode_version v on v.id = j.version_id
                join episode e on e.id = v.episode_id where e.series_id = ?
                """, UUID.fromString(seriesId));
        assertThat(uploaded).extracting(r -> r.get("state")).containsExactly("succeeded");
    }

    /** A real PNG of at least the given size (full-page screenshots may be taller), and not a blank few bytes. */
    private static void assertPng(Path file, int width, int minHeight) throws IOException {
        assertThat(file).as("screenshot %s", file).exists();
        byte[] png = Files.readAllBytes(file);
        assertThat(png.length).as("size of %s", file).isGreaterThan(20_000);
        assertThat(Arrays.copyOf(png, 8)).as("PNG signature of %s", file)
                .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer header = ByteBuffer.wrap(png, 16, 8);
        assertThat(header.getInt()).as("width of %s", file).isEqualTo(width);
        assertThat(header.getInt()).as("height of %s", file).isGreaterThanOrEqualTo(minHeight);
    }

    private static Optional<Path> onPath(String command) {
        return Arrays.stream(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}

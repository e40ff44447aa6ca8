package com.microdrama.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of src/test/browser's playwright-core scripts in Debian's chromium against the app under test, with only
 * the environment it is given, and checks it reported {@code "ok": true}; and checks the screenshots it left.
 */
public final class BrowserScript {

    public static final Path BROWSER_DIR = Path.of("src/test/browser");
    public static final Path OUT = Path.of("target/browser");
    private static final long NODE_TIMEOUT_MINUTES = 3;
    private static final String INSTALL = "run scripts/services.sh up (README's test command does), or by hand: "
            + "sudo apt-get install -y chromium && (cd src/test/browser && npm ci)";

    private BrowserScript() {
    }

    /** Runs {@code script} with {@code inputs} (plus PATH, HOME, TMPDIR, LANG, OUT_DIR, CHROMIUM_PATH); its output. */
    public static String run(String script, Path home, Map<String, String> inputs) throws IOException, InterruptedException {
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
        Files.createDirectories(OUT);
        Path log = OUT.resolve(script.replace(".mjs", "") + "-node.log");
        ProcessBuilder builder = new ProcessBuilder(node.toString(), BROWSER_DIR.resolve(script).toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Nothing inherited from Maven's environment: only what the script and chromium need.
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("TMPDIR", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("OUT_DIR", OUT.toAbsolutePath().toString());
        env.put("CHROMIUM_PATH", chromium.toString());
        env.putAll(inputs);

        Process process = builder.start();
        if (!process.waitFor(NODE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(script + " did not finish in " + NODE_TIMEOUT_MINUTES + " min; output:\n" + read(log));
        }
        String output = read(log);
        assertThat(process.exitValue()).as("%s exit code; output (%s):%n%s", script, log, output).isZero();
        assertThat(output).contains("\"ok\": true");
        return output;
    }

    /** A real PNG of at least the given size (full-page screenshots may be taller), and not a blank few bytes. */
    public static void assertPng(Path file, int width, int minHeight) throws IOException {
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

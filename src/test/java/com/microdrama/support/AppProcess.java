package com.microdrama.support;

import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged app (target/quarkus-app, built by `./mvnw package`) as a separate OS process in the production
 * profile, as a deployment runs it: its own port, role and settings, its log in a file. For integration tests
 * (failsafe), which run after packaging.
 */
public final class AppProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Map<String, String> ENV = System.getenv();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final String name;
    public final int port;
    public final Process process;
    private final Path log;

    private AppProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts the app with the test's database and bucket, the dev key pair and test secrets, plus {@code env}. */
    public static AppProcess start(String name, Path logDir, Map<String, String> env, List<String> systemProperties)
            throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-Dquarkus.http.port=" + port));
        cmd.addAll(systemProperties);
        cmd.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        builder.redirectOutput(log.toFile());
        Map<String, String> e = builder.environment();
        e.put("DB_NAME", System.getenv().getOrDefault("TEST_DB_NAME", "microdrama_test"));
        e.put("S3_BUCKET", System.getenv().getOrDefault("S3_TEST_BUCKET", "microdrama-test"));
        e.put("JWT_PUBLIC_KEY_LOCATION", Path.of("deploy/dev-keys/jwt-public.pem").toAbsolutePath().toString());
        e.put("PLAYBACK_TOKEN_SECRET", "integration-test-playback-secret-0123456789abcdef");
        e.put("AD_CALLBACK_SECRET", "integration-test-ad-secret");
        e.putAll(env);
        return new AppProcess(name, port, builder.start(), log);
    }

    /** The bucket the test processes use. */
    public static String bucket() {
        return ENV.getOrDefault("S3_TEST_BUCKET", "microdrama-test");
    }

    /** A client of the test processes' object storage (the same settings the app takes from the environment). */
    public static MinioClient storage() {
        return MinioClient.builder().endpoint(ENV.getOrDefault("S3_ENDPOINT", "http://127.0.0.1:9100"))
                .region(ENV.getOrDefault("S3_REGION", "us-east-1"))
                .credentials(ENV.getOrDefault("S3_ACCESS_KEY", "microdrama-local"),
                        ENV.getOrDefault("S3_SECRET_KEY", "microdrama-local-secret")).build();
    }

    /** The keys of the objects under {@code prefix} in the test processes' bucket. */
    public static java.util.List<String> keys(String prefix) throws Exception {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (io.minio.Result<io.minio.messages.Item> r : storage().listObjects(io.minio.ListObjectsArgs.builder()
                .bucket(bucket()).prefix(prefix).recursive(true).build())) {
            keys.add(r.get().objectName());
        }
        return keys;
    }

    /** How many multipart uploads under {@code prefix} are still pending (started, neither completed nor aborted). */
    public static int pendingMultiparts(String prefix) throws Exception {
        MinioAsyncClient async = MinioAsyncClient.builder().endpoint(ENV.getOrDefault("S3_ENDPOINT", "http://127.0.0.1:9100"))
                .region(ENV.getOrDefault("S3_REGION", "us-east-1"))
                .credentials(ENV.getOrDefault("S3_ACCESS_KEY", "microdrama-local"),
                        ENV.getOrDefault("S3_SECRET_KEY", "microdrama-local-secret")).build();
        return async.listMultipartUploadsAsync(bucket(), null, null, null, null, 1000, prefix, null, null, null)
                .get().result().uploads().size();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The status of a GET, or -1 when nothing answered. */
    public int get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (get("/q/health/ready") == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " not ready after " + timeout + ":\n" + logTail());
    }

    public Path log() {
        return log;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within the grace. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

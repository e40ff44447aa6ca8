package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.support.AppProcess;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two API and two worker processes of the packaged app on one machine, sharing PostgreSQL, Redis, S3 and a scratch
 * root. The worker encoding a job is SIGKILLed mid-encode: the other finishes the job, exactly one set of outputs is
 * published, no ffmpeg and no scratch directory is left, and viewers got 200s from the APIs all along.
 */
class WorkerKillIT {

    private static final Map<String, String> ENV = System.getenv();
    private static final String JDBC = "jdbc:postgresql://" + ENV.getOrDefault("DB_HOST", "127.0.0.1") + ":"
            + ENV.getOrDefault("DB_PORT", "5432") + "/" + ENV.getOrDefault("TEST_DB_NAME", "microdrama_test");
    private static final String CATALOGUE = "/api/v1/series?sort=new&limit=20";
    private static final List<String> WORKER_SETTINGS = List.of("-Dtranscode.worker.lease=3s",
            "-Dtranscode.worker.heartbeat=500ms", "-Dtranscode.worker.poll-interval=200ms",
            "-Dtranscode.worker.sweep-every=1s");

    @Test
    void a_worker_killed_mid_encode_leaves_nothing_behind_and_another_finishes_its_job() throws Exception {
        Path logs = Path.of("target/worker-kill-it");
        Path scratch = Files.createTempDirectory("worker-kill-scratch");
        List<AppProcess> apps = new ArrayList<>();
        AtomicBoolean viewing = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        try {
            // The first process empties the test database (Flyway clean, then migrate) before the others start.
            AppProcess api1 = AppProcess.start("api-1", logs, Map.of("APP_ROLE", "api"),
                    List.of("-Dquarkus.flyway.clean-at-start=true", "-Dquarkus.flyway.clean-disabled=false"));
            apps.add(api1);
            api1.awaitReady(Duration.ofSeconds(120));
            AppProcess api2 = AppProcess.start("api-2", logs, Map.of("APP_ROLE", "api"), List.of());
            apps.add(api2);
            Map<String, AppProcess> workers = Map.of(
                    "w1#0", AppProcess.start("w1", logs, workerEnv(scratch), settings("w1")),
                    "w2#0", AppProcess.start("w2", logs, workerEnv(scratch), settings("w2")));
            apps.addAll(workers.values());
            for (AppProcess app : apps) {
                app.awaitReady(Duration.ofSeconds(120));
            }

            // Warm up first: a cold API's first catalogue request compiles its queries (seconds on a busy box).
            for (AppProcess api : List.of(api1, api2)) {
                await(Duration.ofSeconds(60), () -> api.get(CATALOGUE) == 200 ? Optional.of(true) : Optional.empty());
            }
            Queued job = queue();
            Thread viewers = new Thread(() -> view(List.of(api1, api2), viewing, statuses), "viewers");
            viewers.start();

            // Mid-encode: the job runs with some progress, and its ffmpeg is there.
            Map<String, Object> running = await(Duration.ofSeconds(90), () -> row(
                    "select lease_owner, progress from transcode_job where id = ? and state = 'running' and progress > 0",
                    job.jobId));
            String victimName = (String) running.get("lease_owner");
            AppProcess victim = workers.get(victimName);
            Path deadDir = await(Duration.ofSeconds(10), () -> dirsOf(scratch, job.jobId).stream().findFirst());
            List<ProcessHandle> ffmpeg = processesIn(deadDir);
            assertThat(ffmpeg).as("ffmpeg of the job in %s", deadDir).isNotEmpty();

            victim.process.destroyForcibly();
            assertThat(victim.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Instant killed = Instant.now();

            await(Duration.ofSeconds(5), () -> ffmpeg.stream().noneMatch(WorkerKillIT::running) ? Optional.of(true)
                    : Optional.empty());
            Duration ffmpegOutlived = Duration.between(killed, Instant.now());
            await(Duration.ofSeconds(15), () -> Files.exists(deadDir) ? Optional.empty() : Optional.of(true));
            Duration dirOutlived = Duration.between(killed, Instant.now());

            Map<String, Object> done = await(Duration.ofSeconds(120), () -> row(
                    "select state, attempts from transcode_job where id = ? and state in ('succeeded', 'failed')",
                    job.jobId));
            Duration finishedAfter = Duration.between(killed, Instant.now());
            assertThat(done).containsEntry("state", "succeeded").containsEntry("attempts", 2);
            String survivor = victimName.equals("w1#0") ? "w2#0" : "w1#0";
            assertThat(rows("select worker, outcome from transcode_attempt where job_id = ? order by attempt", job.jobId))
                    .containsExactly(Map.of("worker", victimName, "outcome", "lease_lost"),
                            Map.of("worker", survivor, "outcome", "succeeded"));

            // Exactly one set of outputs: one master, one playlist per rendition, all under the version's prefix.
            List<String> keys = objects("hls/" + job.episodeId + "/");
            String prefix = "hls/" + job.episodeId + "/" + job.versionId + "/";
            assertThat(keys).allMatch(k -> k.startsWith(prefix));
            long renditions = (Long) row("select count(*) as n from rendition where version_id = ?", job.versionId)
                    .orElseThrow().get("n");
            assertThat(renditions).isGreaterThanOrEqualTo(2);
            assertThat(keys.stream().filter(k -> k.endsWith("master.m3u8"))).hasSize(1);
            assertThat(keys.stream().filter(k -> k.endsWith("/index.m3u8"))).hasSize((int) renditions);
            assertThat(row("select state from episode_version where id = ?", job.versionId).orElseThrow())
                    .containsEntry("state", "ready");

            // Nothing stranded: no job directory, nothing running in the scratch root.
            await(Duration.ofSeconds(10), () -> dirsOf(scratch, null).isEmpty() ? Optional.of(true) : Optional.empty());
            assertThat(processesIn(scratch).stream().filter(WorkerKillIT::running)).isEmpty();

            viewing.set(false);
            viewers.join(10_000);
            int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
            assertThat(statuses.keySet()).as("viewers' statuses %s", statuses).containsOnly(200);
            assertThat(ok).isGreaterThan(20);
            System.out.printf("worker-kill: %s killed; its ffmpeg gone %d ms later, its scratch dir %d ms later; "
                            + "job finished by %s %d ms after the kill; %d catalogue requests, all 200%n", victimName,
                    ffmpegOutlived.toMillis(), dirOutlived.toMillis(), survivor, finishedAfter.toMillis(), ok);
        } catch (AssertionError | Exception e) {
            apps.forEach(a -> System.out.println("--- " + a.name + " ---\n" + a.logTail()));
            throw e;
        } finally {
            viewing.set(false);
            for (AppProcess app : apps) {
                app.close();
            }
            JobRunner.deleteRecursively(scratch);
        }
    }

    private static Map<String, String> workerEnv(Path scratch) {
        return Map.of("APP_ROLE", "worker", "TRANSCODE_WORK_DIR", scratch.toString(), "TRANSCODE_CONCURRENCY", "1");
    }

    private static List<String> settings(String name) {
        List<String> s = new ArrayList<>(WORKER_SETTINGS);
        s.add("-Dtranscode.worker.name=" + name);
        return s;
    }

    /** Viewers browse the catalogue on both API processes, alternately, until told to stop (bounded). */
    private static void view(List<AppProcess> apis, AtomicBoolean viewing, Map<Integer, AtomicInteger> statuses) {
        Instant end = Instant.now().plusSeconds(240);
        for (int i = 0; i < 5000 && viewing.get() && Instant.now().isBefore(end); i++) {
            int status = apis.get(i % apis.size()).get(CATALOGUE);
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private record Queued(UUID seriesId, UUID episodeId, UUID versionId, UUID jobId) {
    }

    /** A published series whose episode 1 has a 10 s source waiting in the queue, as an upload leaves it. */
    private static Queued queue() throws Exception {
        Path source = Files.createTempFile("kill-source", ".mp4");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=540x960:rate=30:duration=10",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=10", "-c:a", "aac", "-shortest",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", source.toString());
        String key = "raw/kill-test/" + UUID.randomUUID();
        s3().uploadObject(UploadObjectArgs.builder().bucket(bucket()).object(key).filename(source.toString())
                .contentType("video/mp4").build());
        Queued q = new Queued(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        sql("""
                insert into series (id, slug, title, language, producer_id, status, published_at)
                values (?, ?, 'Kill test', 'en', 'p', 'published', now())
                """, q.seriesId, "kill-test-" + q.seriesId.toString().substring(0, 8));
        sql("insert into episode (id, series_id, number, state) values (?, ?, 1, 'processing')", q.episodeId, q.seriesId);
        sql("insert into episode_version (id, episode_id, version_number, source_key, source_size, state) "
                + "values (?, ?, 1, ?, ?, 'queued')", q.versionId, q.episodeId, key, Files.size(source));
        sql("insert into transcode_job (id, version_id) values (?, ?)", q.jobId, q.versionId);
        Files.delete(source);
        return q;
    }

    private static List<Path> dirsOf(Path scratch, UUID jobId) throws Exception {
        try (Stream<Path> dirs = Files.list(scratch)) {
            return dirs.filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> jobId == null || d.getFileName().toString().startsWith(jobId.toString())).toList();
        }
    }

    private static List<ProcessHandle> processesIn(Path dir) {
        String marker = dir.toAbsolutePath() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
    }

    /** Alive and not a zombie: a killed orphan stays in the table until whoever inherited it reaps it. */
    private static boolean running(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            return p.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    private static <T> T await(Duration timeout, Probe<T> probe) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + timeout);
    }

    private static Optional<Map<String, Object>> row(String sql, Object... params) throws Exception {
        List<Map<String, Object>> rows = rows(sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<Map<String, Object>> rows(String sql, Object... params) throws Exception {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new java.util.HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static void sql(String sql, Object... params) throws Exception {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(JDBC, ENV.getOrDefault("DB_USER", "postgres"),
                ENV.getOrDefault("DB_PASSWORD", "postgres"));
    }

    private static String bucket() {
        return AppProcess.bucket();
    }

    private static MinioClient s3() {
        return AppProcess.storage();
    }

    private static List<String> objects(String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> r : s3().listObjects(ListObjectsArgs.builder().bucket(bucket()).prefix(prefix)
                .recursive(true).build())) {
            keys.add(r.get().objectName());
        }
        return keys;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("%s", List.of(cmd)).isTrue();
    }
}

package com.microdrama.support;

import static com.microdrama.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.upload.UploadSweeper;
import io.agroal.api.AgroalDataSource;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Producers uploading small episodes, one after another, while a fault comes and goes: the fault scenarios' upload
 * load. Each answer must be a 201, or (where the scenario allows it) a 503 problem+json with Retry-After; after the
 * heal, every refused upload succeeds when sent again, every acknowledged one is there, and nothing is half-written
 * (no version without its source object, no multipart upload left pending, no upload row left open).
 */
public final class UploadingProducers {

    private record Producer(String token, String seriesId) {
    }

    private record Sent(Producer producer, int episode) {
    }

    private static final String OPERATOR = Tokens.of(Roles.OPERATOR, "ops-fault-clean-up");

    private final AgroalDataSource db;
    private final ObjectStorage storage;
    private final boolean outageAllowed;
    private final byte[] clip = Media.bytes(Media.vertical());
    private final List<Producer> producers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    private final List<Sent> refused = Collections.synchronizedList(new ArrayList<>());
    /** Acknowledged uploads: the version each 201 named. */
    private final Map<UUID, Sent> acknowledged = new ConcurrentHashMap<>();

    /**
     * {@code count} producers, each with a series of their own, created now (before any fault);
     * {@code outageAllowed}: whether a 503 with Retry-After is a right answer in this scenario.
     */
    public UploadingProducers(AgroalDataSource db, ObjectStorage storage, int count, boolean outageAllowed) {
        this.db = db;
        this.storage = storage;
        this.outageAllowed = outageAllowed;
        for (int i = 0; i < count; i++) {
            String token = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
            producers.add(new Producer(token, Api.createSeries(token, Api.seriesBody(Api.unique("faultload")))));
        }
    }

    public UploadingProducers start() {
        running.set(true);
        for (Producer p : producers) {
            Thread t = new Thread(() -> {
                for (int episode = 1; running.get(); episode++) {
                    send(new Sent(p, episode));
                }
            }, "uploading-producer");
            t.start();
            threads.add(t);
        }
        return this;
    }

    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }

    public Map<String, Integer> statuses() {
        return Map.copyOf(statuses);
    }

    /** Uploads refused during the fault (503): each must succeed when sent again after the heal. */
    public int refused() {
        return refused.size();
    }

    public int acknowledged() {
        return acknowledged.size();
    }

    public List<String> wrong() {
        return List.copyOf(wrong);
    }

    /** Sends every refused upload again (the fault healed): each must now be a 201. */
    public void retryRefused() {
        List<Sent> again;
        synchronized (refused) {
            again = List.copyOf(refused);
            refused.clear();
        }
        for (Sent sent : again) {
            Response r = post(sent);
            assertThat(r.statusCode()).as("upload retried after the heal: " + r.asString()).isEqualTo(201);
            acknowledged.put(UUID.fromString(r.path("versionId")), sent);
        }
    }

    /**
     * Nothing lost, nothing half-written: every acknowledged version exists; every version of these series has its
     * source object; no multipart upload is pending under them, and once {@code sweep} has run (the upload sweep,
     * as if a day had passed) no upload row is left pending or completing. An upload whose recording the database
     * cut off is deliberately left to that sweep: its commit may have happened. Returns the acknowledged uploads
     * lost (asserted 0 too). Then the jobs these uploads queued are cancelled, checked or not (see
     * {@link #cancelQueuedJobs}).
     */
    public int assertWhole(Runnable sweep) {
        try {
            return assertWholeNow(sweep);
        } finally {
            cancelQueuedJobs();
        }
    }

    private int assertWholeNow(Runnable sweep) {
        sweep.run();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<UUID, Sent> ack : acknowledged.entrySet()) {
            if (Db.rows(db, "select 1 from episode_version where id = ?", ack.getKey()).isEmpty()) {
                problems.add("acknowledged version " + ack.getKey() + " of episode " + ack.getValue().episode() + " lost");
            }
        }
        int lost = problems.size();
        for (Producer p : producers) {
            UUID series = UUID.fromString(p.seriesId());
            List<String> objects = Storage.keys(storage, "raw/" + series + "/");
            for (Map<String, Object> v : Db.rows(db, """
                    select v.id, v.source_key from episode_version v join episode e on e.id = v.episode_id
                    where e.series_id = ?
                    """, series)) {
                if (!objects.contains((String) v.get("source_key"))) {
                    problems.add("version " + v.get("id") + " without its source " + v.get("source_key"));
                }
            }
            int pending = Storage.pendingMultiparts(storage, "raw/" + series + "/");
            if (pending > 0) {
                problems.add(pending + " multipart uploads pending under series " + series);
            }
            for (Map<String, Object> u : Db.rows(db, "select id, state from upload where series_id = ? "
                    + "and state in ('pending', 'completing')", series)) {
                problems.add("upload " + u.get("id") + " left " + u.get("state"));
            }
        }
        assertThat(problems).as("lost or half-written uploads").isEmpty();
        return lost;
    }

    /**
     * Cancels, as an operator would, every transcode job these uploads queued: the fault scenarios run with the
     * workers off, and the tests after them must not find their own jobs waiting behind dozens of these.
     */
    private void cancelQueuedJobs() {
        for (Producer p : producers) {
            for (Map<String, Object> job : Db.rows(db, """
                    select j.id from transcode_job j join episode_version v on v.id = j.version_id
                    join episode e on e.id = v.episode_id where e.series_id = ? and j.state = 'queued'
                    """, UUID.fromString(p.seriesId()))) {
                int status = as(OPERATOR).post("/api/v1/admin/jobs/" + job.get("id") + "/cancel").statusCode();
                assertThat(status).as("cancelling job " + job.get("id")).isIn(200, 409);
            }
        }
    }

    /**
     * Waits until no refused upload has anything left in storage under these series (see {@link #leftBehind}), and
     * fails past {@code bound} from {@code healedAt} (a {@link System#nanoTime()}); returns how long it took. No sweep
     * runs: a clean-up the outage refused is retried within seconds of the heal (upload/UploadDiscards).
     */
    public Duration awaitNothingLeftBehind(long healedAt, Duration bound) throws InterruptedException {
        return awaitNothingLeftBehind(db, storage, producers.stream().map(p -> UUID.fromString(p.seriesId())).toList(),
                healedAt, bound);
    }

    /** {@link #awaitNothingLeftBehind(long, Duration)} for any series, with no upload to them in progress. */
    public static Duration awaitNothingLeftBehind(AgroalDataSource db, ObjectStorage storage, List<UUID> series,
                                                  long healedAt, Duration bound) throws InterruptedException {
        while (true) {
            List<String> left = new ArrayList<>();
            for (UUID s : series) {
                left.addAll(leftBehind(db, storage, s));
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - healedAt);
            if (left.isEmpty()) {
                return waited;
            }
            assertThat(waited).as("still left behind after the heal: " + left).isLessThanOrEqualTo(bound);
            Thread.sleep(100);
        }
    }

    /** What uploads to the series left in storage that no version names: pending multipart uploads and objects. */
    public static List<String> leftBehind(AgroalDataSource db, ObjectStorage storage, UUID series) {
        List<String> left = new ArrayList<>();
        int pending = Storage.pendingMultiparts(storage, "raw/" + series + "/");
        if (pending > 0) {
            left.add(pending + " multipart uploads pending under series " + series);
        }
        List<Object> sources = Db.rows(db, """
                select v.source_key from episode_version v join episode e on e.id = v.episode_id where e.series_id = ?
                """, series).stream().map(v -> v.get("source_key")).toList();
        for (String key : Storage.keys(storage, "raw/" + series + "/")) {
            if (!sources.contains(key)) {
                left.add("object " + key + " of no version");
            }
        }
        return left;
    }

    /** The upload sweep as it would run once the uploads' time to live (a day) and its grace have passed. */
    public static Runnable sweepAsIfADayPassed(UploadSweeper sweeper) {
        return () -> {
            while (sweeper.sweep(java.time.Instant.now().plus(java.time.Duration.ofDays(2))) > 0) {
                // one batch per call
            }
        };
    }

    private void send(Sent sent) {
        Response r;
        try {
            r = post(sent);
        } catch (RuntimeException e) {
            wrong.add("upload of episode " + sent.episode() + " got no answer: " + e);
            return;
        }
        int status = r.statusCode();
        statuses.merge(Integer.toString(status), 1, Integer::sum);
        if (status == 201) {
            acknowledged.put(UUID.fromString(r.path("versionId")), sent);
        } else if (status == 503 && outageAllowed && r.header("Retry-After") != null
                && r.contentType().startsWith("application/problem+json")) {
            refused.add(sent);
        } else {
            wrong.add("upload of episode " + sent.episode() + ": " + status + " "
                    + r.header("Retry-After") + " " + r.asString());
        }
    }

    private Response post(Sent sent) {
        return as(sent.producer().token()).contentType("video/mp4").body(clip)
                .post("/api/v1/producer/series/" + sent.producer().seriesId() + "/episodes/" + sent.episode() + "/source");
    }
}

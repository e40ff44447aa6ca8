package com.microdrama.faults;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.FaultProxies;
import com.microdrama.support.Tokens;
import com.microdrama.support.UploadingProducers;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.upload.UploadSweeper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL cut (reset, or silent) for several seconds under a small load of viewers browsing, playing and
 * checking their wallet, and producers uploading: every answer is either right or a 503 problem+json with
 * Retry-After (quick, but for uploads, which have no deadline), nothing hangs, the API is whole again within seconds
 * of the heal, every top-up and unlock acknowledged before the cut is still there after it, every refused upload
 * goes through when sent again, and no upload is lost or half-written.
 */
@QuarkusTest
@TestProfile(FaultProxies.NoWorkers.class)
@WithTestResource(FaultProxies.DatabaseResource.class)
class DatabaseCutTest {

    private static final Duration CUT = Duration.ofSeconds(8);
    /** The slowest answer allowed while the database is away: the request deadline (5 s) and a margin. */
    private static final Duration QUICK = Duration.ofSeconds(6);
    private static final Duration RECOVERED_WITHIN = Duration.ofSeconds(2);
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    UploadSweeper sweeper;

    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong slowestMillis = new AtomicLong();

    @AfterEach
    void heal() {
        FaultProxies.database.restore();
    }

    @Test
    void a_reset_database_answers_quick_503s_and_recovers_with_nothing_lost() throws Exception {
        survive(FaultProxies.database::cut);
    }

    @Test
    void a_silent_database_answers_quick_503s_and_recovers_with_nothing_lost() throws Exception {
        survive(FaultProxies.database::blackhole);
    }

    /**
     * A silent database in production is not closed by anyone (here the proxy's restore closes what it held): the
     * kernel must find the dead connections itself. The reactive pool's connections carry TCP keepalive (and
     * TCP_USER_TIMEOUT, which ss does not show); the proxy's own kernel acknowledges probes and data alike, so the
     * test shows the settings, not a connection closed by them.
     */
    @Test
    void pooled_connections_carry_tcp_keepalive() throws Exception {
        String viewer = Tokens.of(Roles.VIEWER, "dbcut-keepalive");
        List<Thread> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> as(viewer).get("/api/v1/me/wallet").then().statusCode(200));
            t.start();
            burst.add(t);
        }
        for (Thread t : burst) {
            t.join();
        }
        Process ss = new ProcessBuilder("ss", "-tno", "state", "established",
                "( dport = :" + FaultProxies.database.port() + " )").redirectErrorStream(true).start();
        List<String> sockets = new String(ss.getInputStream().readAllBytes()).lines().skip(1).toList();
        assertThat(ss.waitFor()).isZero();
        List<String> probed = sockets.stream().filter(line -> line.contains("timer:(keepalive,")).toList();
        System.out.printf("DatabaseCutTest: connections to PostgreSQL %d, with keepalive %d%n", sockets.size(),
                probed.size());
        assertThat(probed).as("the reactive pool's connections, with keepalive").isNotEmpty();
        // The rest: JDBC's (Flyway at start, the test's own reads; its pool holds at most 2). The LISTEN connections
        // (job events, catalogue changes) carry keepalive too.
        assertThat(sockets.size() - probed.size()).as("connections without keepalive").isLessThanOrEqualTo(3);
    }

    private void survive(Runnable fault) throws Exception {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries series = Api.playableSeries(db, producer, "dbcut", 1, 10, 3);
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "purchaseId", unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        as(viewer).header("Idempotency-Key", unique("k")).post("/api/v1/episodes/" + series.episodes().get(1)
                + "/unlock").then().statusCode(200);

        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> crowd = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            crowd.add(browsing(series, "dbcut-crowd-" + i, running));
        }
        UploadingProducers uploads = new UploadingProducers(db, storage, 2, true).start();
        try {
            Thread.sleep(500);
            fault.run();
            Thread.sleep(CUT.toMillis());
            long healedAt = System.nanoTime();
            FaultProxies.database.restore();
            long recovered = awaitRecovered(series, healedAt);
            System.out.printf("DatabaseCutTest: recovered %d ms after the heal; statuses %s; slowest %d ms%n",
                    recovered, statuses, slowestMillis.get());
            assertThat(Duration.ofMillis(recovered)).as("recovery after the heal").isLessThanOrEqualTo(RECOVERED_WITHIN);
        } finally {
            running.set(false);
            for (Thread t : crowd) {
                t.join();
            }
            uploads.stop();
        }
        System.out.printf("DatabaseCutTest: uploads %s, %d acknowledged, %d refused%n", uploads.statuses(),
                uploads.acknowledged(), uploads.refused());
        assertThat(wrong).as("wrong answers").isEmpty();
        assertThat(uploads.wrong()).as("wrong answers to uploads").isEmpty();
        assertThat(uploads.statuses().keySet()).as("upload statuses").isSubsetOf("201", "503").contains("503");
        uploads.retryRefused();
        assertThat(uploads.assertWhole(UploadingProducers.sweepAsIfADayPassed(sweeper))).as("lost uploads").isZero();
        assertThat(statuses.keySet()).as("statuses").isSubsetOf("200", "503");
        assertThat(statuses.get("503")).as("503s while the database was away").isNotNull();
        assertThat(Duration.ofMillis(slowestMillis.get())).as("slowest answer").isLessThanOrEqualTo(QUICK);

        // Acknowledged before the cut, still there after it.
        as(viewer).get("/api/v1/me/wallet").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(100 - 10));
        as(viewer).get("/api/v1/series/" + series.id() + "/episodes").then().statusCode(200)
                .body("lock", org.hamcrest.Matchers.equalTo(List.of("free", "unlocked", "locked")));
    }

    private long awaitRecovered(Api.PlayableSeries series, long healedAt) throws InterruptedException {
        String viewer = Tokens.of(Roles.VIEWER, "dbcut-probe");
        while (true) {
            if (call(() -> as(viewer).get("/api/v1/series/" + series.id() + "/episodes")) == 200
                    && call(() -> as(viewer).get("/api/v1/me/wallet")) == 200) {
                return (System.nanoTime() - healedAt) / 1_000_000;
            }
            assertThat((System.nanoTime() - healedAt) / 1_000_000).as("recovered at all").isLessThan(30_000);
            Thread.sleep(50);
        }
    }

    private Thread browsing(Api.PlayableSeries series, String viewerId, AtomicBoolean running) {
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        Thread t = new Thread(() -> {
            while (running.get()) {
                call(() -> as(viewer).get("/api/v1/series/" + series.id() + "/episodes"), "free", "locked", "locked");
                call(() -> as(viewer).get("/api/v1/episodes/" + series.episodes().get(0) + "/playback"));
                call(() -> as(viewer).get("/api/v1/me/wallet"));
            }
        }, viewerId);
        t.start();
        return t;
    }

    /** Makes one request, records its status and time; a 200 with {@code locks} must show exactly those. */
    private int call(java.util.function.Supplier<Response> request, String... locks) {
        long start = System.nanoTime();
        Response response = request.get();
        slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
        int status = response.statusCode();
        statuses.merge(Integer.toString(status), 1, Integer::sum);
        if (status == 503 && !response.contentType().startsWith("application/problem+json")) {
            wrong.add("503 without problem+json: " + response.asString());
        }
        if (status == 200 && locks.length > 0 && !response.jsonPath().getList("lock").equals(List.of(locks))) {
            wrong.add("saw " + response.jsonPath().getList("lock"));
        }
        if (status >= 500 && status != 503) {
            wrong.add(status + " " + response.asString());
        }
        return status;
    }
}

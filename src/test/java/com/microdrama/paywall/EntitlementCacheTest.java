package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Metrics;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The entitlement bitmap in the real Redis: filled on a miss, written through after an unlock. */
@QuarkusTest
class EntitlementCacheTest {

    @Inject
    AgroalDataSource db;
    @Inject
    RedisDataSource redis;
    @Inject
    EntitlementCache cache;

    @Test
    void a_miss_fills_the_bitmap_from_postgresql_and_an_unlock_is_written_through() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries playable = Api.playableSeries(db, producer, "cache", 0, 10, 3);
        String series = playable.id();
        List<String> eps = playable.episodes();
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        String key = EntitlementCache.unlockKey(viewerId, UUID.fromString(series));

        // An unlock written straight into PostgreSQL (as after a Redis outage): the first read must see it.
        unlockInPostgresqlOnly(viewerId, eps.get(1));
        assertThat(redis.key().exists(key)).isFalse();
        as(viewer).get("/api/v1/series/" + series + "/episodes").then().statusCode(200)
                .body("lock", equalTo(List.of("locked", "unlocked", "locked")));
        assertThat(redis.bitmap(String.class).getbit(key, 0)).as("filled marker").isEqualTo(1);
        assertThat(redis.bitmap(String.class).getbit(key, 2)).isEqualTo(1);
        assertThat(redis.key().ttl(key)).isPositive();

        Api.as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "purchaseId", unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        as(viewer).header("Idempotency-Key", "c1").post("/api/v1/episodes/" + eps.get(2) + "/unlock").then().statusCode(200);
        assertThat(redis.bitmap(String.class).getbit(key, 3)).as("written through after commit").isEqualTo(1);
        as(viewer).get("/api/v1/series/" + series + "/episodes").then()
                .body("lock", equalTo(List.of("locked", "unlocked", "unlocked")));
    }

    @Test
    void playback_start_reads_unlocks_and_vip_from_redis_and_confirms_a_no_in_postgresql() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries playable = Api.playableSeries(db, producer, "play-cache", 1, 10, 3);
        String series = playable.id();
        List<String> eps = playable.episodes();
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        String key = EntitlementCache.unlockKey(viewerId, UUID.fromString(series));
        unlockInPostgresqlOnly(viewerId, eps.get(1));

        as(viewer).get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(200).body("access", equalTo("free"));
        assertThat(redis.key().exists(key)).as("a free episode needs no entitlement lookup").isFalse();
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(200).body("access", equalTo("unlocked"));
        assertThat(redis.bitmap(String.class).getbit(key, 2)).as("filled by the playback lookup").isEqualTo(1);

        double hits = Metrics.value("entitlement_cache_total{result=\"hit\"}");
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(200).body("access", equalTo("unlocked"));
        assertThat(Metrics.value("entitlement_cache_total{result=\"hit\"}") - hits).as("answered from Redis").isPositive();

        // Redis has no unlock of episode 3: PostgreSQL confirms, and the 402 carries the balance it read.
        as(viewer).get("/api/v1/episodes/" + eps.get(2) + "/playback").then().statusCode(402)
                .body("price", equalTo(10)).body("balance", equalTo(0));
        Api.as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "grantId", unique("vip"), "until", java.time.Instant.now().plusSeconds(86_400).toString()))
                .post("/api/v1/payments/vip").then().statusCode(200);
        as(viewer).get("/api/v1/episodes/" + eps.get(2) + "/playback").then().statusCode(200).body("access", equalTo("vip"));
    }

    @Test
    void lookups_made_together_share_mgets_and_each_gets_its_own_viewers_standing() {
        UUID series = UUID.randomUUID();
        UUID otherSeries = UUID.randomUUID();
        Instant vipUntil = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        int viewers = 250;
        List<String> viewerIds = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            String viewer = Tokens.newSubject(Roles.VIEWER);
            viewerIds.add(viewer);
            // Every third viewer is not cached at all; the others have their own unlocks, every fifth a VIP pass.
            if (v % 3 != 0) {
                cache.fill(viewer, series, numbers(v), v % 5 == 0 ? Optional.of(vipUntil) : Optional.empty())
                        .await().atMost(Duration.ofSeconds(5));
            }
        }
        long mgets = mgetCalls();

        // All asked before any is answered (the same viewer twice among them): they go out in a few MGETs.
        List<Uni<EntitlementCache.Known>> asked = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            asked.add(cache.lookup(viewerIds.get(v), series).memoize().indefinitely());
            asked.add(cache.lookup(viewerIds.get(v), v % 2 == 0 ? series : otherSeries).memoize().indefinitely());
        }
        // Redis held for 200 ms (under the batch's 500 ms limit) while they are asked, as a busy Redis would be: the
        // two batches in flight wait, and every later lookup queues behind them. Without it the count depends on how
        // fast this thread asks against how fast Redis answers (25 MGETs once on a loaded CI machine).
        redis.execute("CLIENT", "PAUSE", "200");
        asked.forEach(u -> u.subscribe().with(ignored -> { }, ignored -> { }));
        for (int v = 0; v < viewers; v++) {
            EntitlementCache.Known known = asked.get(2 * v).await().atMost(Duration.ofSeconds(10));
            EntitlementCache.Known again = asked.get(2 * v + 1).await().atMost(Duration.ofSeconds(10));
            if (v % 3 == 0) {
                assertThat(known.vipUntil()).as("viewer %d: nothing cached", v).isNull();
                assertThat(known.bitmap()).isNull();
                continue;
            }
            assertThat(known.complete()).as("viewer %d: cached", v).isTrue();
            assertThat(known.vipUntil()).as("viewer %d's VIP pass", v)
                    .isEqualTo(v % 5 == 0 ? Optional.of(vipUntil) : Optional.empty());
            assertThat(known.unlocked(1, 8)).as("viewer %d's unlocks", v).isEqualTo(numbers(v));
            if (v % 2 == 0) {
                assertThat(again.unlocked(1, 8)).as("viewer %d asked twice", v).isEqualTo(numbers(v));
            } else {
                assertThat(again.vipUntil()).as("viewer %d's VIP pass, other series", v).isEqualTo(known.vipUntil());
                assertThat(again.bitmap()).as("viewer %d: other series not cached", v).isNull();
            }
        }
        long sent = mgetCalls() - mgets;
        System.out.printf("EntitlementCacheTest: %d lookups in %d MGETs%n", 2 * viewers, sent);
        assertThat(sent).as("MGETs for %d lookups", 2 * viewers).isBetween(5L, 20L);
    }

    /** Viewer v's unlocked numbers among 1..8: the bits of v. */
    private static Set<Integer> numbers(int v) {
        Set<Integer> numbers = new HashSet<>();
        for (int n = 1; n <= 8; n++) {
            if ((v >> (n - 1) & 1) == 1) {
                numbers.add(n);
            }
        }
        return numbers;
    }

    private long mgetCalls() {
        String stats = redis.execute("INFO", "commandstats").toString();
        Matcher calls = Pattern.compile("cmdstat_mget:calls=(\\d+)").matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    private void unlockInPostgresqlOnly(String viewerId, String episode) {
        Api.sql(db, "insert into wallet (viewer_id) values (?)", viewerId);
        Api.sql(db, "insert into unlock (viewer_id, episode_id, series_id, episode_number, method) "
                + "select ?, id, series_id, number, 'grant' from episode where id = ?", viewerId, UUID.fromString(episode));
    }
}

package com.microdrama.paywall;

import static com.microdrama.paywall.Money.PAYMENTS;
import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** VIP renewals, lapses and revocations from the stores: once per event id, a ledger row each, the cache follows. */
@QuarkusTest
class VipEventsTest {

    @Inject
    AgroalDataSource db;
    @Inject
    RedisDataSource redis;
    @Inject
    EntitlementCache cache;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewerId = Tokens.newSubject(Roles.VIEWER);
    private final String viewer = Tokens.of(Roles.VIEWER, viewerId);

    private static Response vipEvent(String eventId, String viewerId, String type, Instant until) {
        Map<String, Object> body = new HashMap<>(Map.of("eventId", eventId, "viewerId", viewerId, "type", type));
        if (until != null) {
            body.put("until", until.toString());
        }
        return as(PAYMENTS).body(body).post("/api/v1/payments/vip-events");
    }

    private Response playback(String episodeId) {
        return as(viewer).get("/api/v1/episodes/" + episodeId + "/playback");
    }

    /** The VIP expiry cached in Redis, in epoch seconds ("none" or null when not cached). */
    private String cachedVip() {
        return redis.value(String.class).get(EntitlementCache.vipKey(viewerId));
    }

    @Test
    void renew_extends_lapse_and_revoke_shorten_and_playback_follows_through_the_cache() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "vip", 0, 30, 2);
        String paid = series.episodes().get(0);
        playback(paid).then().statusCode(402);

        Instant inAnHour = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        vipEvent("renew-1", viewerId, "renew", inAnHour).then().statusCode(200)
                .body("type", equalTo("renew")).body("replayed", equalTo(false))
                .body("vipUntil", equalTo(inAnHour.toString()));
        vipEvent("renew-1", viewerId, "renew", inAnHour).then().statusCode(200).body("replayed", equalTo(true))
                .body("vipUntil", equalTo(inAnHour.toString()));
        vipEvent("renew-1", viewerId, "renew", inAnHour.plusSeconds(60)).then().statusCode(409)
                .contentType("application/problem+json");
        // A renewal never shortens the pass.
        vipEvent("renew-2", viewerId, "renew", inAnHour.minusSeconds(600)).then().statusCode(200)
                .body("vipUntil", equalTo(inAnHour.toString()));
        playback(paid).then().statusCode(200).body("access", equalTo("vip"));
        assertThat(cachedVip()).isEqualTo(Long.toString(inAnHour.getEpochSecond()));

        // A lapse ends the pass at its time if the pass ran longer, and a later lapse changes nothing.
        Instant inTenMinutes = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        vipEvent("lapse-1", viewerId, "lapse", inTenMinutes).then().statusCode(200)
                .body("vipUntil", equalTo(inTenMinutes.toString()));
        assertThat(cachedVip()).as("the cached expiry goes down").isEqualTo(Long.toString(inTenMinutes.getEpochSecond()));
        vipEvent("lapse-2", viewerId, "lapse", inAnHour).then().statusCode(200)
                .body("vipUntil", equalTo(inTenMinutes.toString()));
        playback(paid).then().statusCode(200).body("access", equalTo("vip"));

        // Revoked: the pass ends now, in PostgreSQL and in the cache that playback reads first.
        Instant before = Instant.now();
        String revokedUntil = vipEvent("revoke-1", viewerId, "revoke", null).then().statusCode(200)
                .extract().path("vipUntil");
        assertThat(Instant.parse(revokedUntil)).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(Long.parseLong(cachedVip())).isLessThanOrEqualTo(Instant.now().getEpochSecond());
        playback(paid).then().statusCode(402).contentType("application/problem+json").body("price", equalTo(30));
        as(viewer).get("/api/v1/series/" + series.id() + "/episodes").then()
                .body("lock", equalTo(List.of("locked", "locked")));
        vipEvent("revoke-1", viewerId, "revoke", null).then().statusCode(200).body("replayed", equalTo(true))
                .body("vipUntil", equalTo(revokedUntil));
        // A replay of an older event answers what it did then, and changes nothing now.
        vipEvent("renew-1", viewerId, "renew", inAnHour).then().statusCode(200).body("replayed", equalTo(true));
        playback(paid).then().statusCode(402);

        // Every event that ran is one ledger row without coins, its note the new expiry.
        List<Map<String, Object>> rows = Db.rows(db, """
                select reason, reference, note, paid_delta + bonus_delta + debt_delta as coins from ledger
                where viewer_id = ? order by id
                """, viewerId);
        assertThat(rows).extracting(r -> r.get("reason") + " " + r.get("reference") + " " + r.get("note")).containsExactly(
                "vip_renew renew-1 " + inAnHour, "vip_renew renew-2 " + inAnHour,
                "vip_lapse lapse-1 " + inTenMinutes, "vip_lapse lapse-2 " + inTenMinutes,
                "vip_revoke revoke-1 " + revokedUntil);
        assertThat(rows).extracting(r -> r.get("coins")).containsOnly(0L);
        Money.assertReconciled(db, viewerId);
    }

    @Test
    void a_fill_from_an_older_read_does_not_put_a_revoked_pass_back_and_a_lapse_grants_nothing() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "vipcache", 0, 20, 1);
        String paid = series.episodes().get(0);
        Instant month = Instant.now().plus(30, ChronoUnit.DAYS);
        vipEvent(unique("r"), viewerId, "renew", month).then().statusCode(200);
        playback(paid).then().statusCode(200).body("access", equalTo("vip"));
        vipEvent(unique("v"), viewerId, "revoke", null).then().statusCode(200);
        String revoked = cachedVip();
        // A reader that took the pass from PostgreSQL before the revocation fills the cache after it.
        cache.fill(viewerId, UUID.fromString(series.id()), Set.of(), Optional.of(month)).await().indefinitely();
        assertThat(cachedVip()).isEqualTo(revoked);
        playback(paid).then().statusCode(402);
        // Without a cached expiry, the next read refills it from PostgreSQL.
        redis.key().del(EntitlementCache.vipKey(viewerId));
        playback(paid).then().statusCode(402);

        String other = Tokens.newSubject(Roles.VIEWER);
        vipEvent(unique("l"), other, "lapse", Instant.now().plus(1, ChronoUnit.DAYS)).then().statusCode(200)
                .body("vipUntil", nullValue());
        vipEvent(unique("v"), other, "revoke", null).then().statusCode(200).body("vipUntil", nullValue());
        assertThat(Db.row(db, "select vip_until from wallet where viewer_id = ?", other).get("vip_until")).isNull();
        assertThat(Db.rows(db, "select note from ledger where viewer_id = ? order by id", other))
                .extracting(r -> r.get("note")).containsExactly("none", "none");
    }

    @Test
    void a_renewal_sent_again_after_its_date_answers_what_it_did() throws InterruptedException {
        Instant soon = Instant.now().plusMillis(4000).truncatedTo(ChronoUnit.MILLIS);
        vipEvent("short", viewerId, "renew", soon).then().statusCode(200).body("vipUntil", equalTo(soon.toString()));
        while (!Instant.now().isAfter(soon)) {
            Thread.sleep(100);
        }
        vipEvent("short", viewerId, "renew", soon).then().statusCode(200).body("replayed", equalTo(true));
        vipEvent(unique("late"), viewerId, "renew", soon).then().statusCode(400).body("detail", containsString("future"));
    }

    @Test
    void vip_events_are_checked_before_anything_is_written() {
        vipEvent(unique("e"), viewerId, "renew", null).then().statusCode(400).body("errors.field", hasItem("until"));
        vipEvent(unique("e"), viewerId, "renew", Instant.now().minusSeconds(60)).then().statusCode(400)
                .body("detail", containsString("future"));
        vipEvent(unique("e"), viewerId, "renew", Instant.now().plus(4 * 366, ChronoUnit.DAYS)).then().statusCode(400)
                .body("detail", containsString("3 years"));
        vipEvent(unique("e"), viewerId, "revoke", Instant.now()).then().statusCode(400).body("errors.field", hasItem("until"));
        vipEvent(unique("e"), viewerId, "pause", null).then().statusCode(400).body("errors.field", hasItem("type"));
        as(PAYMENTS).body(Map.of("viewerId", viewerId, "type", "revoke")).post("/api/v1/payments/vip-events")
                .then().statusCode(400).body("errors.field", hasItem("eventId"));
        as(viewer).body(Map.of("eventId", unique("e"), "viewerId", viewerId, "type", "revoke"))
                .post("/api/v1/payments/vip-events").then().statusCode(403);
        assertThat(Db.rows(db, "select 1 from store_event where viewer_id = ?", viewerId)).isEmpty();
        assertThat(Db.rows(db, "select 1 from ledger where viewer_id = ?", viewerId)).isEmpty();
    }
}

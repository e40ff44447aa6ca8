package com.microdrama.analytics;

import static com.microdrama.support.Api.as;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A viewer's player as the analytics tests drive it: events built and posted, server facts awaited. */
final class Viewing {

    private Viewing() {
    }

    static Map<String, Object> event(String id, String type, String episodeId, Instant at, Double positionSeconds) {
        Map<String, Object> e = new HashMap<>();
        e.put("id", id);
        e.put("type", type);
        e.put("episodeId", episodeId);
        e.put("occurredAt", at.toString());
        if (positionSeconds != null) {
            e.put("positionSeconds", positionSeconds);
        }
        return e;
    }

    static Map<String, Object> event(String type, String episodeId, Double positionSeconds) {
        return event(UUID.randomUUID().toString(), type, episodeId, Instant.now(), positionSeconds);
    }

    static Response post(String viewerToken, List<Map<String, Object>> events) {
        return as(viewerToken).body(Map.of("events", events)).post("/api/v1/events");
    }

    static List<Map<String, Object>> progressEvents(String episodeId, int count) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event("progress", episodeId, (double) i));
        }
        return events;
    }

    /** 100 paid coins for the viewer, through the payment service's top-up. */
    static void topUp100(String viewerId) {
        as(Tokens.of(Roles.PAYMENT_SERVICE, "store")).body(Map.of("viewerId", viewerId, "purchaseId", Api.unique("p"),
                "pack", "coins-100")).post("/api/v1/payments/topups").then().statusCode(200);
    }

    /** Waits for the server's own facts (written asynchronously after a play or an unlock) to be stored. */
    static void awaitServerEvents(AgroalDataSource db, String viewerId, long expected) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        long seen = 0;
        while (Instant.now().isBefore(deadline)) {
            seen = (Long) Db.row(db, "select count(*) as n from analytics_event where viewer_id = ? and source = 'server'",
                    viewerId).get("n");
            if (seen >= expected) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("expected " + expected + " server events of " + viewerId + ", saw " + seen);
    }
}

package com.microdrama.paywall;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Optional;

/**
 * Idempotency keys of requests that move money. The key is claimed first inside the request's transaction; a
 * concurrent duplicate waits on that row until the first commits and then answers the stored result. A request
 * that fails rolls its claim back with everything else, so the key can be used again.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";

    private IdempotencyKeys() {
    }

    public static String require(String key) {
        if (key == null || key.isBlank() || key.length() > 200) {
            throw ApiException.badRequest(HEADER, "header is required (1 to 200 characters), one per purchase intent");
        }
        return key;
    }

    /** Empty when this request now owns the key and should run; the stored answer when it is a replay. */
    static Uni<Optional<JsonObject>> claim(SqlClient tx, String viewerId, String key, String request) {
        return tx.preparedQuery("""
                        insert into idempotency_record (viewer_id, key, request_hash, status, response)
                        values ($1, $2, $3, 0, '{}') on conflict do nothing returning 1
                        """).execute(Tuple.of(viewerId, key, request))
                .flatMap(claimed -> claimed.size() > 0
                        ? Uni.createFrom().item(Optional.<JsonObject>empty())
                        : tx.preparedQuery("select request_hash, response from idempotency_record where viewer_id = $1 and key = $2")
                        .execute(Tuple.of(viewerId, key)).map(rows -> {
                            Row r = rows.iterator().next();
                            if (!request.equals(r.getString("request_hash"))) {
                                throw new ApiException(422, "Idempotency key reused",
                                        HEADER + " '" + key + "' was already used for another request");
                            }
                            return Optional.of((JsonObject) r.getValue("response"));
                        }));
    }

    /** Gives the key back: the request it was claimed for moved nothing worth replaying. */
    static Uni<Void> release(SqlClient tx, String viewerId, String key) {
        return tx.preparedQuery("delete from idempotency_record where viewer_id = $1 and key = $2")
                .execute(Tuple.of(viewerId, key)).replaceWithVoid();
    }

    static Uni<Void> store(SqlClient tx, String viewerId, String key, JsonObject response) {
        return tx.preparedQuery("update idempotency_record set status = 200, response = $3 where viewer_id = $1 and key = $2")
                .execute(Tuple.of(viewerId, key, response)).replaceWithVoid();
    }
}

package com.microdrama.core.error;

import io.vertx.pgclient.PgException;
import java.util.List;
import java.util.Map;

/**
 * Turns the database's refusals into client errors. The constraints in the schema are the last line of defence
 * (for example two producers racing for one slug); the services check the common cases first with clearer text.
 */
final class DatabaseErrors {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CHECK_VIOLATION = "23514";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private static final Map<String, String> MESSAGES = Map.of(
            "series_slug_key", "this slug is already taken by another series",
            "episode_series_id_number_key", "this episode number already exists in the series",
            "ledger_topup_once", "this purchase was already credited");

    private DatabaseErrors() {
    }

    static PgException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg;
            }
        }
        return null;
    }

    static boolean isClientError(PgException pg) {
        return List.of(UNIQUE_VIOLATION, CHECK_VIOLATION, FOREIGN_KEY_VIOLATION).contains(pg.getSqlState());
    }

    static Problem toProblem(PgException pg, String instance) {
        String constraint = pg.getConstraint() == null ? "" : pg.getConstraint();
        String message = MESSAGES.getOrDefault(constraint, "violates the rule '" + constraint + "'");
        int status = UNIQUE_VIOLATION.equals(pg.getSqlState()) ? 409 : 400;
        return new Problem(status, status == 409 ? "Conflict" : "Invalid request", message, instance);
    }
}

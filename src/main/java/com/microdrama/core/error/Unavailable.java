package com.microdrama.core.error;

import io.quarkus.logging.Log;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.EOFException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Failures that mean a service the request needs (PostgreSQL, object storage) is out of reach for now, not that
 * anything is wrong with the request or the code: answered 503 with {@code Retry-After}, so clients retry and load
 * balancers and dashboards read them as an outage rather than a bug.
 */
public final class Unavailable {

    /** How long clients are told to wait before trying again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private Unavailable() {
    }

    /** The 503 for {@code e}, or null when {@code e} is not an outage. */
    static ApiException of(Throwable e, String instance) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isOutage(t)) {
                Log.warnf("Service unavailable on %s: %s", instance, t.toString());
                return new ApiException(503, "Service unavailable", "a service this request needs is out of reach "
                        + "for a moment; nothing was changed, please try again shortly").retryAfter(RETRY_AFTER);
            }
        }
        return null;
    }

    /**
     * Whether {@code e} is an outage (connection lost, refused or timed out): for a write, its outcome is then
     * unknown, as the commit may have reached the server before the connection went.
     */
    public static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isOutage(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(Throwable t) {
        if (t instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            // 08: connection exceptions; 57P01-57P03: the server is shutting down or not accepting connections.
            return state.startsWith("08") || state.startsWith("57P");
        }
        // The SQL client's "Connection is not active now, current status: CLOSED": a query handed to a connection
        // the server side dropped a moment before (seen when a silent database's connections are closed).
        if (t instanceof io.vertx.core.impl.NoStackTraceThrowable
                && String.valueOf(t.getMessage()).startsWith("Connection is not active now")) {
            return true;
        }
        // Socket errors (refused, no route, reset) and EOF: the connection failed or dropped before the answer came
        // (OkHttp's "unexpected end of stream" from object storage wraps an EOFException). A client's own broken
        // upload is answered before it gets here.
        return t instanceof SocketException || t instanceof EOFException
                || t instanceof ClosedConnectionException || t instanceof TimeoutException
                || t instanceof io.smallrye.mutiny.TimeoutException
                || t instanceof io.netty.channel.ConnectTimeoutException;
    }
}

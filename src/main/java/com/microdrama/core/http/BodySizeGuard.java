package com.microdrama.core.http;

import com.microdrama.core.error.Problem;
import com.microdrama.core.error.ProblemWriter;
import io.quarkus.arc.All;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;

/**
 * Request body limits per path. Quarkus has one global limit (quarkus.http.limits.max-body-size), which must be
 * as large as the biggest upload; this guard keeps every other endpoint small, because JSON bodies are read into
 * memory. The routes allowed more declare it as a {@link LargeBodyRoute}. It runs before authentication and before
 * any byte of the body is read, and answers problem+json.
 */
@ApplicationScoped
public class BodySizeGuard {

    private static final String CLOSE_AFTER_RESPONSE = "microdrama.close-after-response";
    /**
     * After an error answered before the whole body was read, up to this much more of the body is read and dropped
     * (for at most LINGER_MILLIS) before the connection is closed. Closing with unread bytes makes the kernel reset
     * the connection, and a client still sending its body loses the answer with it ("no answer" instead of a 503):
     * the lingering close of web servers such as nginx.
     */
    private static final long LINGER_BYTES = 16L << 20;
    private static final long LINGER_MILLIS = 2_000;

    private final long defaultMax;
    private final List<LargeBodyRoute> largeRoutes;
    private final ProblemWriter problems;

    BodySizeGuard(BodyLimitConfig config, @All List<LargeBodyRoute> largeRoutes, ProblemWriter problems) {
        this.defaultMax = config.maxSize().asLongValue();
        this.largeRoutes = List.copyOf(largeRoutes);
        this.problems = problems;
    }

    void install(@Observes Router router) {
        // Before Quarkus' own limit handler (order -2), which would answer an empty 413 for anything over the
        // global limit; ours answers problem+json and is always the stricter one.
        router.route().order(-3).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        var request = ctx.request();
        LargeBodyRoute large = largeRoute(request.path());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = large != null ? large.maxSize() : defaultMax;
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                refuse(ctx, new Problem(400, "Bad Request", "Content-Length is not a number", request.path()));
                return;
            }
            if (declared > limit) {
                refuse(ctx, new Problem(413, "Payload too large", large != null ? large.tooLarge(declared)
                        : "the request body is larger than " + human(limit), request.path(), List.of(),
                        Map.of("maxSize", limit)));
                return;
            }
        } else if (large == null && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            refuse(ctx, new Problem(411, "Length required", "send a Content-Length with the request body",
                    request.path()));
            return;
        }
        if (large != null) {
            // An error answered before the whole body was read: close, rather than read gigabytes to keep alive.
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() >= 400 && !request.isEnded()) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                    ctx.put(CLOSE_AFTER_RESPONSE, true);
                }
            });
            ctx.addEndHandler(done -> {
                if (Boolean.TRUE.equals(ctx.get(CLOSE_AFTER_RESPONSE))) {
                    closeWhenDrained(ctx);
                }
            });
        }
        ctx.next();
    }

    private LargeBodyRoute largeRoute(String path) {
        for (LargeBodyRoute route : largeRoutes) {
            if (route.matches(path)) {
                return route;
            }
        }
        return null;
    }

    private void refuse(RoutingContext ctx, Problem problem) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close").endHandler(done -> closeWhenDrained(ctx));
        problems.send(ctx.response(), problem);
    }

    /** Closes the connection once the rest of the body is read (LINGER_BYTES, LINGER_MILLIS at most). */
    private static void closeWhenDrained(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long[] drained = {0};
        long timer = ctx.vertx().setTimer(LINGER_MILLIS, t -> request.connection().close());
        Runnable close = () -> {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
        };
        request.exceptionHandler(e -> close.run());
        request.endHandler(v -> close.run());
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > LINGER_BYTES) {
                close.run();
            }
        });
        request.resume();
    }

    /** A byte count the way limits are written: in GiB or MiB when it is a whole number of them. */
    public static String human(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " bytes";
    }
}

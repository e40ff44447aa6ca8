package com.microdrama.core.http;

import com.microdrama.core.error.Problem;
import com.microdrama.core.error.ProblemWriter;
import io.quarkus.arc.All;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;

/**
 * A deadline on every API request but the {@link SlowRoute}s (uploads): one not answered in time gets 503 problem+json with Retry-After.
 * A database or store that goes silent (packets dropped, not refused) otherwise holds each request — and the phone
 * waiting on it — for as long as the TCP connection takes to die, minutes; with the deadline a viewer gets a quick
 * answer to retry on, and a load balancer a clear signal. What the request was doing is not cancelled: a write
 * that completes after the deadline stays done (the 503 says "try again", and every write is idempotent).
 */
@ApplicationScoped
public class RequestDeadline {

    @ConfigMapping(prefix = "http.request")
    public interface Config {
        /** The longest an API request may take before it is answered 503; uploads (large bodies) are exempt. */
        @WithDefault("5s")
        Duration deadline();
    }

    private static final String ANSWERED = "request-deadline.answered";

    private final long deadlineMillis;
    private final List<SlowRoute> exempt;
    private final ProblemWriter problems;

    RequestDeadline(Config config, @All List<SlowRoute> exempt, ProblemWriter problems) {
        this.deadlineMillis = config.deadline().toMillis();
        this.exempt = List.copyOf(exempt);
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-4).handler(this::arm).failureHandler(this::dropLateAnswer);
    }

    /**
     * The work behind a request the deadline answered goes on, and its answer then fails to write ("Response has
     * already been written"). That is expected, not an error: dropped with a debug line.
     */
    private void dropLateAnswer(RoutingContext ctx) {
        if (ctx.get(ANSWERED) != null && ctx.response().ended()) {
            io.quarkus.logging.Log.debugf("Late answer on %s dropped after the deadline: %s", ctx.request().path(),
                    String.valueOf(ctx.failure()));
            return;
        }
        ctx.next();
    }

    private void arm(RoutingContext ctx) {
        String path = ctx.request().path();
        if (exempt.stream().anyMatch(route -> route.matches(path))) {
            ctx.next();
            return;
        }
        long timer = ctx.vertx().setTimer(deadlineMillis, fired -> {
            var response = ctx.response();
            if (!response.headWritten() && !response.ended()) {
                ctx.put(ANSWERED, Boolean.TRUE);
                response.putHeader(HttpHeaders.RETRY_AFTER, "2").putHeader(HttpHeaders.CONNECTION, "close");
                problems.send(response, new Problem(503, "Service unavailable", "the answer took longer than "
                        + deadlineMillis + " ms: a service it needs is slow or out of reach; please try again shortly",
                        path));
            }
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }
}

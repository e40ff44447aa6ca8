package com.microdrama.core.http;

import com.microdrama.core.config.AppConfig;
import com.microdrama.core.error.Problem;
import com.microdrama.core.error.ProblemWriter;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A worker-only process keeps /q/health and /q/metrics but serves no public API and no dashboard. */
@ApplicationScoped
public class WorkerOnlyGate {

    private static final Problem NOT_HERE = new Problem(404, "Not Found",
            "this process runs transcode workers only; the API is served elsewhere", null);

    private final AppConfig config;
    private final ProblemWriter problems;

    WorkerOnlyGate(AppConfig config, ProblemWriter problems) {
        this.config = config;
        this.problems = problems;
    }

    void install(@Observes Router router) {
        if (config.role().servesApi()) {
            return;
        }
        // The operators' page too: without the API behind it, it could only show errors.
        router.routeWithRegex("/api/.*|/admin(/.*)?").order(Integer.MIN_VALUE)
                .handler(ctx -> problems.send(ctx.response(), NOT_HERE));
    }
}

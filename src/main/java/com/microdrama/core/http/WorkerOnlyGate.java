package com.microdrama.core.http;

import com.microdrama.core.config.AppConfig;
import com.microdrama.core.error.Problem;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A worker-only process keeps /q/health and /q/metrics but serves no public API and no dashboard. */
@ApplicationScoped
public class WorkerOnlyGate {

    private final AppConfig config;

    WorkerOnlyGate(AppConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        if (config.role().servesApi()) {
            return;
        }
        // The operators' page too: without the API behind it, it could only show errors.
        router.routeWithRegex("/api/.*|/admin(/.*)?").order(Integer.MIN_VALUE).handler(ctx -> ctx.response()
                .setStatusCode(404)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"this process runs transcode workers only; the API is served elsewhere\"}"));
    }
}

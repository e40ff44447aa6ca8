package com.microdrama.transcode;

import com.microdrama.core.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A process that is meant to run transcode workers is ready only while they run: a worker-only pod whose pool
 * died would otherwise look healthy while the queue grows. Database and storage have their own checks.
 */
@Readiness
@ApplicationScoped
public class WorkerHealthCheck implements HealthCheck {

    private final TranscodeWorker worker;
    private final TranscodeConfig config;
    private final AppConfig app;

    WorkerHealthCheck(TranscodeWorker worker, TranscodeConfig config, AppConfig app) {
        this.worker = worker;
        this.config = config;
        this.app = app;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("transcode-workers").withData("role", app.role().name().toLowerCase());
        if (!config.worker().enabled() || !app.role().runsWorkers()) {
            return response.up().withData("workers", 0L).withData("detail", "this process runs no workers").build();
        }
        return response.status(worker.running())
                .withData("workers", (long) worker.names().size())
                .withData("names", String.join(", ", worker.names()))
                .build();
    }
}

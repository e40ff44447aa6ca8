package com.microdrama.core.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Synchronous checks run on a worker thread, so the blocking SDK call is fine here. */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {

    private final ObjectStorage storage;

    StorageHealthCheck(ObjectStorage storage) {
        this.storage = storage;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("object-storage").withData("bucket", storage.bucket());
        try {
            return response.status(storage.bucketExists()).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}

package com.microdrama.core.storage;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The one S3 client of the application. Every call here blocks (the MinIO SDK is synchronous): callers run it on
 * a worker thread, never on the event loop.
 */
@ApplicationScoped
public class ObjectStorage {

    private final StorageConfig config;
    private final MinioClient client;
    private final MinioAsyncClient asyncClient;

    ObjectStorage(StorageConfig config) {
        this.config = config;
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
        this.asyncClient = MinioAsyncClient.builder()
                .endpoint(config.endpoint())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
    }

    void createBucket(@Observes StartupEvent event) {
        try {
            if (!bucketExists()) {
                client.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).region(config.region()).build());
                Log.infof("Created bucket %s at %s", config.bucket(), config.endpoint());
            }
        } catch (Exception e) {
            // Not fatal: readiness reports storage as down until it is reachable.
            Log.warnf("Object storage %s is not reachable yet: %s", config.endpoint(), e.getMessage());
        }
    }

    public boolean bucketExists() throws Exception {
        return client.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
    }

    public MinioClient client() {
        return client;
    }

    /** The same endpoint and credentials; only this client exposes S3 multipart calls (presigned-part uploads). */
    public MinioAsyncClient asyncClient() {
        return asyncClient;
    }

    public String bucket() {
        return config.bucket();
    }
}

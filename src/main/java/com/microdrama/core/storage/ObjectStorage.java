package com.microdrama.core.storage;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.http.Method;
import io.minio.UploadObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;

/**
 * The one S3 client of the application. Every call here blocks (the MinIO SDK is synchronous): callers run it on
 * a worker thread, never on the event loop.
 */
@ApplicationScoped
public class ObjectStorage {

    private final StorageConfig config;
    private final MinioClient client;
    private final MinioClient signer;
    private final MinioAsyncClient asyncClient;

    ObjectStorage(StorageConfig config) {
        this.config = config;
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
        // Signing is local computation (the region is configured, so the SDK never looks it up).
        this.signer = MinioClient.builder()
                .endpoint(config.publicEndpoint().orElse(config.endpoint()))
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
        this.asyncClient = MinioAsyncClient.builder()
                .endpoint(config.endpoint())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
    }

    /** A time-limited GET URL for a client to fetch an object straight from storage, never through the JVM. */
    public String signedGetUrl(String key) {
        return signedGetUrl(key, config.signedUrlTtl());
    }

    public String signedGetUrl(String key, java.time.Duration ttl) {
        return signedUrl(Method.GET, key, ttl, java.util.Map.of());
    }

    /**
     * A signed URL for the public storage endpoint (clients' uploads and downloads); the expiry is capped at
     * S3's maximum of 7 days.
     */
    public String signedUrl(Method method, String key, java.time.Duration ttl, java.util.Map<String, String> query) {
        long seconds = Math.max(1, Math.min(ttl.toSeconds(), java.time.Duration.ofDays(7).toSeconds()));
        try {
            return signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(method).bucket(config.bucket()).object(key).expiry((int) seconds)
                    .extraQueryParams(query).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a URL for " + key, e);
        }
    }

    void createBucket(@Observes StartupEvent event) {
        try {
            if (!bucketExists()) {
                client.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).region(config.region()).build());
                Log.infof("Created bucket %s at %s", config.bucket(), config.endpoint());
            }
            applyCors();
        } catch (Exception e) {
            // Not fatal: readiness reports storage as down until it is reachable.
            Log.warnf("Object storage %s is not reachable yet: %s", config.endpoint(), e.getMessage());
        }
    }

    /** The bucket's CORS rules for web players, where the store has per-bucket CORS (see {@link BucketCors}). */
    private void applyCors() throws Exception {
        java.util.List<String> origins = config.corsOrigins().orElse(java.util.List.of());
        if (origins.isEmpty()) {
            return;
        }
        if (new BucketCors(asyncClient).put(config.bucket(), origins)) {
            Log.infof("Bucket %s answers CORS for %s", config.bucket(), origins);
        } else {
            Log.infof("Storage at %s has no per-bucket CORS; its server settings decide (see README, Web players)",
                    config.endpoint());
        }
    }

    public boolean bucketExists() throws Exception {
        return client.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
    }

    public void upload(Path file, String key, String contentType) throws Exception {
        client.uploadObject(UploadObjectArgs.builder().bucket(config.bucket()).object(key)
                .filename(file.toString()).contentType(contentType).build());
    }

    public void download(String key, Path target) throws Exception {
        client.downloadObject(DownloadObjectArgs.builder().bucket(config.bucket()).object(key)
                .filename(target.toString()).overwrite(true).build());
    }

    /** A small object written from memory (a subtitle segment, a playlist). */
    public void put(byte[] data, String key, String contentType) throws Exception {
        client.putObject(io.minio.PutObjectArgs.builder().bucket(config.bucket()).object(key)
                .stream(new java.io.ByteArrayInputStream(data), data.length, -1).contentType(contentType).build());
    }

    /** A small object's bytes (a segment); empty when it does not exist. */
    public java.util.Optional<byte[]> readBytes(String key) throws Exception {
        try (var in = client.getObject(io.minio.GetObjectArgs.builder().bucket(config.bucket()).object(key).build())) {
            return java.util.Optional.of(in.readAllBytes());
        } catch (io.minio.errors.ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /** Every key under {@code prefix} (a rendition's directory), for cleaning up or checking what is left. */
    public java.util.List<String> list(String prefix) throws Exception {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (var item : client.listObjects(io.minio.ListObjectsArgs.builder().bucket(config.bucket()).prefix(prefix)
                .recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    /** Deletes these keys; a missing key is not an error. */
    public void delete(java.util.Collection<String> keys) throws Exception {
        for (String key : keys) {
            client.removeObject(io.minio.RemoveObjectArgs.builder().bucket(config.bucket()).object(key).build());
        }
    }

    /** A small object (a playlist) as text; empty when it does not exist. */
    public java.util.Optional<String> readText(String key) throws Exception {
        return readBytes(key).map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
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

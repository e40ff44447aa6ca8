package com.microdrama.upload;

import com.google.common.collect.ImmutableMultimap;
import com.microdrama.core.storage.ObjectStorage;
import io.minio.GetObjectArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.ListPartsResult;
import io.minio.messages.Part;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The S3 multipart calls uploads need. Every method blocks (it waits on the SDK's future): worker threads only.
 */
@ApplicationScoped
public class UploadStorage {

    /** What S3 says about one stored part. */
    public record StoredPart(int number, long size, String etag) {
    }

    /** One multipart upload found by a prefix listing. */
    public record PendingMultipart(String key, String uploadId, Instant initiated) {
    }

    private final ObjectStorage storage;
    private final MinioAsyncClient s3;

    UploadStorage(ObjectStorage storage) {
        this.storage = storage;
        this.s3 = storage.asyncClient();
    }

    public String startMultipart(String key, String contentType) {
        var headers = ImmutableMultimap.of("Content-Type", contentType);
        return call(() -> s3.createMultipartUploadAsync(bucket(), null, key, headers, null)).result().uploadId();
    }

    /** Signed for the public storage endpoint: phones PUT their parts there, not to the API's internal address. */
    public String presignPart(String key, String uploadId, int partNumber, Duration expiry) {
        try {
            return storage.signedUrl(Method.PUT, key, expiry,
                    Map.of("uploadId", uploadId, "partNumber", String.valueOf(partNumber)));
        } catch (IllegalStateException e) {
            throw new StorageFailure("cannot presign part " + partNumber + " of " + key, e);
        }
    }

    public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
        return call(() -> s3.uploadPartAsync(bucket(), null, key, data, length, uploadId, partNumber, null, null)).etag();
    }

    /** The parts stored so far; none once the multipart upload is gone (completed or aborted), as S3Proxy answers. */
    public List<StoredPart> listParts(String key, String uploadId) {
        List<StoredPart> parts = new ArrayList<>();
        int marker = 0;
        while (true) {
            int after = marker;
            ListPartsResult result;
            try {
                result = call(() -> s3.listPartsAsync(bucket(), null, key, 1000, after, uploadId, null, null)).result();
            } catch (StorageFailure e) {
                if (isNoSuchUpload(e)) {
                    return List.of();
                }
                throw e;
            }
            for (Part p : result.partList()) {
                parts.add(new StoredPart(p.partNumber(), p.partSize(), p.etag()));
            }
            if (!result.isTruncated()) {
                return parts;
            }
            marker = result.nextPartNumberMarker();
        }
    }

    public void completeMultipart(String key, String uploadId, List<StoredPart> parts) {
        Part[] list = parts.stream().map(p -> new Part(p.number(), p.etag())).toArray(Part[]::new);
        call(() -> s3.completeMultipartUploadAsync(bucket(), null, key, uploadId, list, null, null));
    }

    /** Aborts a multipart upload; one that is already gone (completed or aborted) is not an error. */
    public void abortMultipart(String key, String uploadId) {
        try {
            call(() -> s3.abortMultipartUploadAsync(bucket(), null, key, uploadId, null, null));
        } catch (StorageFailure e) {
            if (!isNoSuchUpload(e)) {
                throw e;
            }
        }
    }

    public List<PendingMultipart> pendingMultiparts(String prefix) {
        var result = call(() -> s3.listMultipartUploadsAsync(bucket(), null, null, null, null, 1000, prefix, null,
                null, null)).result();
        return result.uploads().stream()
                .map(u -> new PendingMultipart(u.objectName(), u.uploadId(),
                        u.initiated() == null ? Instant.EPOCH : u.initiated().toInstant()))
                .toList();
    }

    public InputStream open(String key) {
        try {
            return storage.client().getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build());
        } catch (Exception e) {
            throw new StorageFailure("cannot read " + key, e);
        }
    }

    /** The object's size in bytes, or -1 when there is no such object. */
    public long size(String key) {
        try {
            return storage.client().statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build()).size();
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return -1;
            }
            throw new StorageFailure("cannot look up " + key, e);
        } catch (Exception e) {
            throw new StorageFailure("cannot look up " + key, e);
        }
    }

    /** Removes an object; removing one that does not exist is not an error (S3 semantics). */
    public void remove(String key) {
        try {
            storage.client().removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(key).build());
        } catch (Exception e) {
            throw new StorageFailure("cannot remove " + key, e);
        }
    }

    /**
     * Aborts the multipart upload and removes the object: all an upload stored. Both steps are idempotent. Without
     * {@code uploadId} (its creation's answer was lost) every multipart upload under the key is aborted.
     */
    public void removeAll(String key, String uploadId) {
        if (uploadId != null) {
            abortMultipart(key, uploadId);
        } else {
            for (PendingMultipart pending : pendingMultiparts(key)) {
                if (pending.key().equals(key)) {
                    abortMultipart(key, pending.uploadId());
                }
            }
        }
        remove(key);
    }

    /**
     * Clean-up on a failure path, which never throws: the original failure matters more than this one. False when
     * storage did not answer, for the caller to remember ({@link UploadDiscards}).
     */
    public boolean discard(String key, String uploadId) {
        try {
            removeAll(key, uploadId);
            return true;
        } catch (RuntimeException e) {
            Log.warnf("Could not discard %s (retried once storage answers): %s", key, e.getMessage());
            return false;
        }
    }

    private String bucket() {
        return storage.bucket();
    }

    private static boolean isNoSuchUpload(StorageFailure e) {
        return e.getCause() instanceof ErrorResponseException s3 && "NoSuchUpload".equals(s3.errorResponse().code());
    }

    private interface AsyncCall<T> {
        CompletableFuture<T> start() throws Exception;
    }

    private static <T> T call(AsyncCall<T> call) {
        try {
            return call.start().get();
        } catch (ExecutionException e) {
            throw new StorageFailure("object storage refused the request: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageFailure("interrupted", e);
        } catch (Exception e) {
            throw new StorageFailure("object storage call failed: " + e.getMessage(), e);
        }
    }

    /** Object storage failed us (not the client): a 5xx, and the upload can be retried. */
    public static class StorageFailure extends RuntimeException {
        StorageFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

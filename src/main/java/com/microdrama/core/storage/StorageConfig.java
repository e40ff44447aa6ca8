package com.microdrama.core.storage;

import io.smallrye.config.ConfigMapping;

/** Where media lives: any S3 API (S3Proxy locally, MinIO in deploy/), reached only through the MinIO SDK. */
@ConfigMapping(prefix = "storage")
public interface StorageConfig {
    String endpoint();

    String region();

    String accessKey();

    String secretKey();

    String bucket();

    /**
     * The endpoint phones and the CDN reach storage at, used only to sign URLs handed to clients; defaults to
     * {@link #endpoint()} (right when both are the same host, as in local runs).
     */
    java.util.Optional<String> publicEndpoint();

    /**
     * Web players' origins (exact, or one {@code *} wildcard) written into the bucket's CORS rules at start, where
     * the store supports per-bucket CORS. Empty: the bucket's rules are left as they are.
     */
    java.util.Optional<java.util.List<String>> corsOrigins();

    /** How long a signed media URL (poster, segment) stays valid. */
    @io.smallrye.config.WithDefault("1h")
    java.time.Duration signedUrlTtl();
}

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
}

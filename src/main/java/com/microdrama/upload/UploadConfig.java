package com.microdrama.upload;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Limits and timings of producer uploads. */
@ConfigMapping(prefix = "upload")
public interface UploadConfig {

    /** The largest source accepted, either way in (answers 413 above it). */
    @WithDefault("4G")
    MemorySize maxSize();

    /** S3 part size; raised automatically when a file would need more than 10,000 parts. S3's minimum is 5 MiB. */
    @WithDefault("8M")
    MemorySize partSize();

    /** How long presigned part URLs stay valid; GET on an upload re-issues them for the parts still missing. */
    @WithDefault("6H")
    Duration presignExpiry();

    /** An upload not completed within this time is aborted by the sweep and what it stored is removed. */
    @WithDefault("24H")
    Duration ttl();

    /** How often the sweep looks for expired uploads. */
    @WithDefault("15m")
    String sweepEvery();

    /** Where local copies of sources are kept while they are probed (deleted right after). */
    Optional<String> tempDir();
}

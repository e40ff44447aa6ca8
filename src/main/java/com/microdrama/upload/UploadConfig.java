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

    /**
     * How often a failed or aborted upload whose clean-up did not reach storage (it was cut) is cleaned up again:
     * its multipart upload aborted, its object removed ("off": never in this process).
     */
    @WithDefault("2s")
    String discardRetryEvery();

    /** How many streamed uploads run at once: bounded by the heap they need, per process and per producer. */
    Admission admission();

    interface Admission {

        /** The share of the maximum heap streamed uploads may hold between them. */
        @WithDefault("0.5")
        double heapShare();

        /**
         * Heap one streamed upload holds, as a multiple of its part size: the part buffer itself plus what the
         * S3 client and the request's own read buffers keep while a part is in flight.
         */
        @WithDefault("2")
        double partsInMemory();

        /** At most this many streamed uploads per producer in one process (a producer never takes the whole share). */
        @WithDefault("3")
        int perProducer();

        /** What a refused client is told to wait before trying again. */
        @WithDefault("5s")
        Duration retryAfter();
    }

    /** Where local copies of sources are kept while they are probed (deleted right after). */
    Optional<String> tempDir();
}

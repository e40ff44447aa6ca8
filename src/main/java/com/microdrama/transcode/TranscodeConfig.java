package com.microdrama.transcode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The transcode pipeline: the worker pool, the job queue's timing and the HLS ladder. */
@ConfigMapping(prefix = "transcode")
public interface TranscodeConfig {

    Worker worker();

    /** How many times a job runs before a transient fault becomes a failure. */
    @WithDefault("5")
    int maxAttempts();

    /** Backoff before retry n is base × 2^(n-1), capped. */
    @WithDefault("10s")
    Duration retryBackoff();

    @WithDefault("10m")
    Duration retryBackoffMax();

    /** How often the queue-depth gauges at /q/metrics are re-read from the database. */
    @WithDefault("10s")
    Duration metricsRefresh();

    /** Segment length and GOP: every segment starts on a keyframe, aligned across rungs. */
    @WithDefault("2")
    int segmentSeconds();

    @WithDefault("veryfast")
    String x264Preset();

    @WithDefault("128000")
    int audioBitrate();

    /** Where each job downloads its source and writes its outputs; one directory per job, always removed. */
    Path workDir();

    /** The key URI written into media playlists; the playback API gates it by entitlement. */
    @WithDefault("/api/v1/playback/keys/{version}")
    String keyUri();

    /**
     * The time an encode may take: {@code factor} × the source's duration, but never less than {@code minimum}.
     * Past it ffmpeg is killed and the job fails as a media fault: a source that decodes far slower than real
     * time would otherwise hold a worker (its heartbeat keeps the lease) until an operator cancels it.
     */
    EncodeDeadline encodeDeadline();

    interface EncodeDeadline {
        @WithDefault("20")
        double factor();

        @WithDefault("120s")
        Duration minimum();

        default Duration of(double sourceSeconds) {
            Duration scaled = Duration.ofMillis((long) (factor() * sourceSeconds * 1000));
            return scaled.compareTo(minimum()) > 0 ? scaled : minimum();
        }
    }

    /** The rungs, tallest first. Rungs taller than the source are dropped: the ladder never upscales. */
    List<Rung> ladder();

    /**
     * How each rung's bits are chosen: {@code per-title} encodes at the rung's constant quality (x264 CRF) under its
     * bitrate cap, so easy pictures cost less; {@code fixed} encodes every title at the rung's bitrate.
     */
    @WithDefault("per-title")
    RateControl rateControl();

    /** The quality report: each rung's SSIM and PSNR against the source scaled to it, measured on sampled segments. */
    Quality quality();

    /**
     * Off when unset: a rung whose measured average bitrate is at least this fraction of the rung above it is not
     * published (the bigger picture costs hardly more, so the smaller rung serves nobody). E.g. 0.8.
     */
    java.util.OptionalDouble dropRungAboveRatio();

    enum RateControl {
        PER_TITLE, FIXED
    }

    interface Quality {
        @WithDefault("true")
        boolean enabled();

        /** One segment in this many is compared (the middle one of each run), at least one per version; 1 = all. */
        @WithDefault("6")
        @Min(1)
        int sampleEvery();

        /**
         * In a compared segment, one frame in this many (from the middle of the first run of that many); 1 = all.
         * Its reference frames are kept uncompressed by the encode, so this also sets the report's scratch space.
         */
        @WithDefault("7")
        @Min(1)
        int frameEvery();
    }

    interface Worker {
        /** Run workers inside this process (the single-machine default); off for an API-only process. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("1")
        int concurrency();

        @WithDefault("1s")
        Duration pollInterval();

        /** A worker that stops renewing its lease for this long is presumed dead and its job is taken over. */
        @WithDefault("60s")
        Duration lease();

        @WithDefault("10s")
        Duration heartbeat();

        /** How often a worker sweeps the scratch root for directories (and ffmpeg) of workers that died. */
        @WithDefault("1m")
        Duration sweepEvery();

        /** Names this worker in leases and in the operators' view; defaults to host and pid. */
        java.util.Optional<String> name();
    }

    interface Rung {
        String name();

        int width();

        int height();

        /** The fixed ladder's video bitrate in bits per second; maxrate and bufsize derive from it. */
        int bitrate();

        /** Per-title: the x264 CRF the rung is encoded at (lower is better and bigger). */
        double crf();

        /** Per-title: the cap in bits per second (x264 maxrate; the VBV buffer holds one second of it). */
        int maxBitrate();
    }
}

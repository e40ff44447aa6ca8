package com.microdrama.core.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The ffmpeg and ffprobe binaries (a name looked up on PATH, or an absolute path) and what a source must be. */
@ConfigMapping(prefix = "media")
public interface MediaConfig {
    String ffmpegPath();

    String ffprobePath();

    /** The limits {@link MediaProbe} holds every source to, on upload and again before transcoding. */
    Probe probe();

    interface Probe {
        @WithDefault("1S")
        Duration minDuration();

        @WithDefault("15M")
        Duration maxDuration();

        @WithDefault("4096")
        int maxSide();

        @WithDefault("120")
        double maxFrameRate();

        @WithDefault("5")
        double minFrameRate();

        /** ffprobe is killed after this long: a hostile file must not hold a worker thread. */
        @WithDefault("20S")
        Duration timeout();
    }
}

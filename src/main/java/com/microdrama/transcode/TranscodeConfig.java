package com.microdrama.transcode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "transcode")
public interface TranscodeConfig {
    /** How many times a job runs before a transient fault becomes a failure. */
    @WithDefault("5")
    int maxAttempts();
}

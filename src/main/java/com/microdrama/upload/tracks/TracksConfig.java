package com.microdrama.upload.tracks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits of producers' subtitle and audio track uploads. */
@ConfigMapping(prefix = "tracks")
public interface TracksConfig {

    /** Largest subtitle file accepted, in bytes (a feature-length SRT is about 100 KB). */
    @WithDefault("524288")
    long subtitleMaxBytes();

    /** How far a dub's duration may differ from its episode's. */
    @WithDefault("1s")
    Duration audioDurationTolerance();
}

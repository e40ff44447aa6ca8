package com.microdrama.core.media;

import io.smallrye.config.ConfigMapping;

/** The ffmpeg and ffprobe binaries: a name looked up on PATH, or an absolute path. */
@ConfigMapping(prefix = "media")
public interface MediaConfig {
    String ffmpegPath();

    String ffprobePath();
}

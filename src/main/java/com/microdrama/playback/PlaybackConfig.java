package com.microdrama.playback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "playback")
public interface PlaybackConfig {

    /** HMAC key of playback tokens; every API process must share it. At least 32 bytes. */
    String tokenSecret();

    /** How long a playback token (and so a playlist URL and the key) stays usable: one episode plus pauses. */
    @WithDefault("30m")
    Duration tokenTtl();

    /**
     * Public prefix that serves the hls/ objects (a CDN in front of storage). Segments are encrypted, so they
     * may be public and cacheable; without a prefix, segment URLs are signed storage URLs instead.
     */
    Optional<String> segmentBaseUrl();

    /** How often play counts are added to the series' popularity (read by the scheduler, see catalogue/export/PopularityCounter). */
    @WithDefault("10s")
    String popularityFlush();

    /**
     * How long a viewer's saved audio and subtitle languages are kept in memory for playback starts. A save on this
     * instance replaces them at once; another instance may go on choosing the old DEFAULT rendition this long.
     * 0 reads them from PostgreSQL on every start.
     */
    @WithDefault("30s")
    Duration languageCacheTtl();
}

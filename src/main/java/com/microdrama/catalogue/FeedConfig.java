package com.microdrama.catalogue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The feed's in-memory copy of the catalogue ({@link FeedEpisodes}). */
@ConfigMapping(prefix = "catalogue.feed")
public interface FeedConfig {

    /** How many series are kept (each with all its episodes). */
    @WithDefault("20000")
    int seriesCacheSize();
}

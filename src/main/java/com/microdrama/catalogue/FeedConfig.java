package com.microdrama.catalogue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The feed's in-memory copy of the catalogue ({@link FeedEpisodes}). */
@ConfigMapping(prefix = "catalogue.feed")
public interface FeedConfig {

    /** How old a series' copy may be: publish, price and title changes reach the feed this late. */
    @WithDefault("5S")
    Duration seriesCacheAge();

    /** How many series are kept (each with all its episodes). */
    @WithDefault("20000")
    int seriesCacheSize();
}

package com.microdrama.catalogue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How trending weighs plays: their half-life, and the window in which one viewer counts once per episode. */
@ConfigMapping(prefix = "catalogue.trending")
public interface TrendingConfig {

    /** A play this long ago counts half as much as one now. */
    @WithDefault("24H")
    Duration halfLife();

    /** One viewer counts once per episode (and once more for finishing it) in each window of this length. */
    @WithDefault("24H")
    Duration window();
}

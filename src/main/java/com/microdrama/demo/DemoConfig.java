package com.microdrama.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Demo content for newcomers: on in the dev profile (README's run command), off everywhere else. */
@ConfigMapping(prefix = "demo")
public interface DemoConfig {
    @WithDefault("false")
    boolean seed();

    @WithDefault("3")
    int episodes();

    @WithDefault("8")
    int episodeSeconds();
}

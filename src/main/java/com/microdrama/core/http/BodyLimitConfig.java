package com.microdrama.core.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The request body limit of every route but the {@link LargeBodyRoute}s: those bodies are read into memory. */
@ConfigMapping(prefix = "http.body")
public interface BodyLimitConfig {

    @WithDefault("1M")
    MemorySize maxSize();
}

package com.microdrama.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "app")
public interface AppConfig {

    /**
     * What this process does. One artifact, three roles: {@code all} (API and embedded workers, the one-machine
     * default), {@code api} (no workers) and {@code worker} (workers only; the public API answers 404).
     */
    @WithDefault("all")
    Role role();

    enum Role {
        ALL, API, WORKER;

        public boolean servesApi() {
            return this != WORKER;
        }

        public boolean runsWorkers() {
            return this != API;
        }
    }
}

package com.microdrama.catalogue;

import com.fasterxml.jackson.annotation.JsonValue;
import com.microdrama.core.persistence.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/** Where an episode's media is: no source yet, a version in the pipeline, playable, or its last version failed. */
public enum EpisodeState {
    AWAITING_SOURCE, PROCESSING, READY, FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<EpisodeState> {
        public Column() {
            super(EpisodeState.class);
        }
    }
}

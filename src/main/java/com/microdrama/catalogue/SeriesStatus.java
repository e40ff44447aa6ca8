package com.microdrama.catalogue;

import com.fasterxml.jackson.annotation.JsonValue;
import com.microdrama.core.persistence.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/** Draft series are the producer's alone; published and completed ones are visible to viewers. */
public enum SeriesStatus {
    DRAFT, PUBLISHED, COMPLETED;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<SeriesStatus> {
        public Column() {
            super(SeriesStatus.class);
        }
    }
}

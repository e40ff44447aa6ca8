package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** An episode as a viewer sees it, with its lock state for that viewer; {@code titleLanguage} is the title's. */
public record EpisodeView(UUID id, int number, String title, String titleLanguage, @Schema(nullable = true) Double durationSeconds,
                          String posterUrl, Lock lock, int price) {

    public enum Lock {
        FREE, UNLOCKED, LOCKED;

        @JsonValue
        public String wire() {
            return name().toLowerCase();
        }
    }
}

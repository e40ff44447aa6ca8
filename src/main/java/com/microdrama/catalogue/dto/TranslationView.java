package com.microdrama.catalogue.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One translation as its producer sees it; episodes' have no synopsis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TranslationView(String language, String title, String synopsis, Instant updatedAt) {
}

package com.microdrama.catalogue.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One translation as its producer sees it; episodes' have no synopsis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"language", "title", "updatedAt"})
public record TranslationView(String language, String title, String synopsis, Instant updatedAt) {
}

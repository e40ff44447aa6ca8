package com.microdrama.catalogue.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A series' title and synopsis, or an episode's title (synopsis absent), in one language. */
public record TranslationRequest(
        @NotNull(message = "is required") @Size(min = 1, max = 200)
        @Pattern(regexp = ".*\\S.*", message = "must not be blank") String title,
        @Size(max = 4000) String synopsis) {
}

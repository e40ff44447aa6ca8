package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/** Create or partially update an episode's metadata; its media arrives through the upload endpoints. */
public record EpisodeRequest(
        @Min(1) @Max(10000) Integer number,
        @Size(max = 200) String title,
        @Schema(nullable = true) @Min(0) @Max(100000) Integer priceOverride,
        Boolean clearPriceOverride) {
}

package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/** One page of series; {@code nextCursor} is null on the last page. */
public record SeriesPage(List<SeriesSummary> items, @Schema(nullable = true, description = "the cursor of the next page; null on the last one") String nextCursor) {
}

package com.microdrama.catalogue.dto;

import java.util.List;

/** One page of series; {@code nextCursor} is null on the last page. */
public record SeriesPage(List<SeriesSummary> items, String nextCursor) {
}

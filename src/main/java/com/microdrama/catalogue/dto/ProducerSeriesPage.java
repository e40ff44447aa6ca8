package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

public record ProducerSeriesPage(List<ProducerSeries> items, @Schema(nullable = true) String nextCursor) {
}

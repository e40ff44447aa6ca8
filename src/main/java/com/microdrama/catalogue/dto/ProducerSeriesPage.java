package com.microdrama.catalogue.dto;

import java.util.List;

public record ProducerSeriesPage(List<ProducerSeries> items, String nextCursor) {
}

package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/**
 * One row of the home screen: {@code id} names it for its next pages ({@code GET /api/v1/rails/{id}?cursor=}).
 * Ids: {@code trending}, {@code new}, {@code genre:<genre>}, {@code more-like-watched}.
 */
public record Rail(String id, String title, List<SeriesSummary> items, @Schema(nullable = true) String nextCursor) {

    public static Rail of(String id, String title, SeriesPage page) {
        return new Rail(id, title, page.items(), page.nextCursor());
    }
}

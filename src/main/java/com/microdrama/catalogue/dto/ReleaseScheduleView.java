package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.catalogue.Episode;
import com.microdrama.catalogue.Series;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/** A series' release schedule as its producer and operators see it: the daily rule and every episode's time. */
public record ReleaseScheduleView(@Schema(nullable = true) Daily daily, @Schema(nullable = true) Instant nextReleaseAt, @Schema(nullable = true) Integer nextEpisodeNumber, List<Slot> episodes) {

    public record Daily(int fromEpisode, LocalTime at, String zone, LocalDate startDate) {
    }

    /** {@code released}: viewers see it now (published, ready, and its time has come). */
    public record Slot(int number, boolean published, boolean ready, @Schema(nullable = true) Instant releaseAt, boolean released) {
    }

    public static ReleaseScheduleView of(Series s, List<Episode> episodes) {
        Instant now = Instant.now();
        Daily daily = s.dailyReleaseFrom == null ? null
                : new Daily(s.dailyReleaseFrom, s.dailyReleaseTime, s.dailyReleaseZone, s.dailyReleaseStart);
        Episode next = episodes.stream()
                .filter(e -> e.published && e.currentVersionId != null && e.releaseAt != null && e.releaseAt.isAfter(now))
                .min((a, b) -> a.releaseAt.compareTo(b.releaseAt))
                .orElse(null);
        return new ReleaseScheduleView(daily, next == null ? null : next.releaseAt, next == null ? null : next.number,
                episodes.stream().map(e -> new Slot(e.number, e.published, e.currentVersionId != null, e.releaseAt,
                        e.visibleToViewers())).toList());
    }
}

package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.DailyRelease;
import com.microdrama.catalogue.dto.ReleaseScheduleView;
import com.microdrama.core.error.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Scheduled release: each episode's release time, and the daily rule that fills them. Only times are written;
 * viewers' queries compare them with now() ({@link EpisodeVisibility}), so nothing runs at the release instant.
 * A producer touches only their own series; an operator ({@code producerId} empty) any series.
 */
@ApplicationScoped
public class ReleaseSchedules {

    private final SeriesRepository series;
    private final EpisodeRepository episodes;
    private final ProducerCatalogueService producers;

    ReleaseSchedules(SeriesRepository series, EpisodeRepository episodes, ProducerCatalogueService producers) {
        this.series = series;
        this.episodes = episodes;
        this.producers = producers;
    }

    @WithSession
    public Uni<ReleaseScheduleView> view(Optional<String> producerId, UUID seriesId) {
        return editable(producerId, seriesId).flatMap(this::viewOf);
    }

    /** Sets the daily rule and re-times every episode it covers (an episode's own time there is replaced). */
    @WithTransaction
    public Uni<ReleaseScheduleView> setDaily(Optional<String> producerId, UUID seriesId, DailyRelease rule) {
        ZoneId zone = zone(rule.zone());
        LocalTime at = LocalTime.parse(rule.at());
        LocalDate start = rule.startDate() != null ? rule.startDate() : firstDayAhead(at, zone);
        return editable(producerId, seriesId).flatMap(s -> {
            s.dailyReleaseFrom = rule.fromEpisode();
            s.dailyReleaseTime = at;
            s.dailyReleaseZone = zone.getId();
            s.dailyReleaseStart = start;
            s.updatedAt = Instant.now();
            Log.debugf("Series %s releases one episode a day at %s %s from episode %d on %s", s.id, at, zone,
                    rule.fromEpisode(), start);
            return episodes.allOf(s.id).map(list -> {
                list.stream().filter(e -> e.number >= rule.fromEpisode()).forEach(e -> retime(e, s.dailySlotOf(e.number)));
                return ReleaseScheduleView.of(s, list);
            });
        });
    }

    /** Drops the daily rule; the episodes it had not released yet are released as soon as they are published. */
    @WithTransaction
    public Uni<ReleaseScheduleView> clearDaily(Optional<String> producerId, UUID seriesId) {
        return editable(producerId, seriesId).flatMap(s -> episodes.allOf(s.id).map(list -> {
            Instant now = Instant.now();
            list.stream()
                    .filter(e -> s.dailyReleaseFrom != null && e.number >= s.dailyReleaseFrom
                            && e.releaseAt != null && e.releaseAt.isAfter(now)
                            && e.releaseAt.equals(s.dailySlotOf(e.number)))
                    .forEach(e -> retime(e, null));
            s.dailyReleaseFrom = null;
            s.dailyReleaseTime = null;
            s.dailyReleaseZone = null;
            s.dailyReleaseStart = null;
            s.updatedAt = now;
            return ReleaseScheduleView.of(s, list);
        }));
    }

    /** One episode's own release time (null: at once); a time in the past releases it at once as well. */
    @WithTransaction
    public Uni<ReleaseScheduleView> setEpisode(Optional<String> producerId, UUID seriesId, int number, Instant releaseAt) {
        return editable(producerId, seriesId).flatMap(s -> episodes.allOf(s.id).map(list -> {
            Episode e = list.stream().filter(x -> x.number == number).findFirst()
                    .orElseThrow(() -> ApiException.notFound("episode", number));
            retime(e, releaseAt);
            return ReleaseScheduleView.of(s, list);
        }));
    }

    private Uni<ReleaseScheduleView> viewOf(Series s) {
        return episodes.allOf(s.id).map(list -> ReleaseScheduleView.of(s, list));
    }

    private static void retime(Episode e, Instant releaseAt) {
        e.releaseAt = releaseAt;
        e.updatedAt = Instant.now();
    }

    private Uni<Series> editable(Optional<String> producerId, UUID seriesId) {
        return producerId.map(producer -> producers.owned(producer, seriesId))
                .orElseGet(() -> series.findById(seriesId).map(s -> {
                    if (s == null) {
                        throw ApiException.notFound("series", seriesId);
                    }
                    return s;
                }));
    }

    private static LocalDate firstDayAhead(LocalTime at, ZoneId zone) {
        ZonedDateTime now = ZonedDateTime.now(zone);
        return now.toLocalTime().isBefore(at) ? now.toLocalDate() : now.toLocalDate().plusDays(1);
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("zone", "must be an IANA time zone such as Europe/Berlin or Asia/Shanghai");
        }
    }
}

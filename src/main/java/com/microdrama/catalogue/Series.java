package com.microdrama.catalogue;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "series")
public class Series {

    @Id
    public UUID id;
    public String slug;
    public String title;
    public String synopsis;
    public String language;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> genres;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags;
    public String coverImageKey;
    public SeriesStatus status;
    public int freeEpisodeCount;
    public int coinPrice;
    public String producerId;
    public long popularity;
    public Instant publishedAt;
    /** "One a day at {@code dailyReleaseTime} in {@code dailyReleaseZone} from episode {@code dailyReleaseFrom}". */
    public Integer dailyReleaseFrom;
    public LocalTime dailyReleaseTime;
    public String dailyReleaseZone;
    public LocalDate dailyReleaseStart;
    public Instant createdAt;
    public Instant updatedAt;
    @Version
    public int rowVersion;

    public boolean ownedBy(String producer) {
        return producerId.equals(producer);
    }

    /** The coin price of one episode of this series, honouring an episode's own price when it has one. */
    public int priceOf(Episode episode) {
        return episode.priceOverride != null ? episode.priceOverride : coinPrice;
    }

    /** The release time the daily rule gives episode {@code number}; null when no rule covers it. */
    public Instant dailySlotOf(int number) {
        if (dailyReleaseFrom == null || number < dailyReleaseFrom) {
            return null;
        }
        // ZonedDateTime keeps the wall-clock time across daylight-saving changes (a day may be 23 or 25 hours).
        return ZonedDateTime.of(dailyReleaseStart.plusDays(number - dailyReleaseFrom), dailyReleaseTime,
                ZoneId.of(dailyReleaseZone)).toInstant();
    }

    public boolean isFree(Episode episode) {
        return episode.number <= freeEpisodeCount || priceOf(episode) == 0;
    }
}

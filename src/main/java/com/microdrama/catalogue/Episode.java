package com.microdrama.catalogue;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * One numbered episode of a series. Viewers see it once it is published, has a ready version and its release time
 * has come; a producer may publish ahead of transcoding and the episode appears when its first version is ready.
 */
@Entity
@Table(name = "episode")
public class Episode {

    @Id
    public UUID id;
    public UUID seriesId;
    public int number;
    public String title;
    public Integer durationMs;
    public Integer priceOverride;
    public EpisodeState state;
    public UUID currentVersionId;
    public boolean published;
    public Instant publishedAt;
    /** When viewers first see it; null: as soon as it is published and ready. */
    public Instant releaseAt;
    public Instant createdAt;
    public Instant updatedAt;
    @Version
    public int rowVersion;

    public boolean visibleToViewers() {
        return published && currentVersionId != null && (releaseAt == null || !releaseAt.isAfter(Instant.now()));
    }
}

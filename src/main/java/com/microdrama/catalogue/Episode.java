package com.microdrama.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * One numbered episode of a series. Viewers see it once it is published and has a ready version; a producer may
 * publish ahead of transcoding and the episode appears when its first version is ready.
 */
@Entity
@Table(name = "episode")
public class Episode {

    @Id
    public UUID id;
    @Column(name = "series_id")
    public UUID seriesId;
    public int number;
    public String title;
    @Column(name = "duration_ms")
    public Integer durationMs;
    @Column(name = "price_override")
    public Integer priceOverride;
    public EpisodeState state;
    @Column(name = "current_version_id")
    public UUID currentVersionId;
    public boolean published;
    @Column(name = "published_at")
    public Instant publishedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    @Column(name = "row_version")
    public int rowVersion;

    public boolean visibleToViewers() {
        return published && currentVersionId != null;
    }
}

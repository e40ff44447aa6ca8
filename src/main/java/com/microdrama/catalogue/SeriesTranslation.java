package com.microdrama.catalogue;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A series' title and synopsis in a language other than its default. */
@Entity
@Table(name = "series_translation")
public class SeriesTranslation {

    @Id
    public UUID id;
    public UUID seriesId;
    public String language;
    public String title;
    public String synopsis;
    public Instant updatedAt;
}

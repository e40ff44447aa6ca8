package com.microdrama.catalogue;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An episode's title in a language other than its series' default. */
@Entity
@Table(name = "episode_translation")
public class EpisodeTranslation {

    @Id
    public UUID id;
    public UUID episodeId;
    public String language;
    public String title;
    public Instant updatedAt;
}

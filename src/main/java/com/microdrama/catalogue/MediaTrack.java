package com.microdrama.catalogue;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A subtitle or dubbed audio rendition of one episode version (V7's comment on {@code media_track} says why a track
 * belongs to a version). Written through {@link MediaTracks}; mapped here for the catalogue's reads.
 */
@Entity
@Table(name = "media_track")
public class MediaTrack {

    public static final String SUBTITLES = "subtitles";
    public static final String AUDIO = "audio";
    public static final String READY = "ready";

    @Id
    public UUID id;
    public UUID versionId;
    public String kind;
    public String language;
    public String name;
    public String dir;
    public String state;
    public Integer bandwidth;
    public Integer averageBandwidth;
    public Instant createdAt;
}

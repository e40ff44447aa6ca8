package com.microdrama.admin.dto;

import com.microdrama.catalogue.EpisodeVersions;
import com.microdrama.playback.MissingMedia;
import java.time.Instant;
import java.util.UUID;

/** A ready version whose media viewers asked for and storage did not have, labelled with its series and episode. */
public record MissingMediaItem(UUID versionId, int versionNumber, UUID seriesId, String seriesTitle, UUID episodeId,
                               int episodeNumber, Instant firstSeenAt, Instant lastSeenAt, long hits) {

    public static MissingMediaItem of(MissingMedia.Sighting s, EpisodeVersions.Label label) {
        return new MissingMediaItem(s.versionId(), label == null ? 0 : label.versionNumber(),
                label == null ? null : label.seriesId(), label == null ? null : label.seriesTitle(), s.episodeId(),
                label == null ? 0 : label.episodeNumber(), s.firstSeenAt(), s.lastSeenAt(), s.hits());
    }
}

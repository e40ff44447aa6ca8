package com.microdrama.playback;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * What playback reads of the catalogue's episodes: which a viewer may watch, what comes next, where to resume,
 * and the segment keys. Implemented by the catalogue, which owns the episodes.
 */
public interface PlayableEpisodes {

    /** A viewer-visible episode: published, playable, in a series that is not a draft. */
    record Watchable(Integer durationMs) {
    }

    /** An episode a viewer has watched, and whether they finished it. */
    record Watched(UUID episodeId, boolean completed) {
    }

    /**
     * Where to resume a series; {@code watched} is the index of the {@link Watched} it comes from. A null
     * {@code episodeId} (and number) means the viewer has seen every episode released so far.
     */
    record Resume(int watched, UUID seriesId, String seriesSlug, String seriesTitle, UUID episodeId,
                  Integer episodeNumber, String episodeTitle, Integer durationMs) {

        public boolean finished() {
            return episodeId == null;
        }
    }

    /**
     * A live subtitle or dubbed audio rendition of a version: {@code dir} is its directory beside the video rungs;
     * an audio track's measured bitrates are added to each variant's.
     */
    record Track(String kind, String language, String name, String dir, Integer bandwidth, Integer averageBandwidth) {
    }

    /** A version's tracks; {@code originalLanguage} is the series' language, the one of the audio in the video. */
    record Tracks(String originalLanguage, List<Track> live) {
    }

    /** The live tracks of a version, by kind then language; an empty list when it has none. */
    Uni<Tracks> tracks(UUID versionId);

    /** The first playable episode numbered after {@code number} in the series; a null item when there is none. */
    Uni<PlaybackService.NextEpisode> next(UUID seriesId, int number);

    /** The episode if a viewer may see it, else a null item. */
    Uni<Watchable> watchable(UUID episodeId);

    /** The AES-128 segment key of a ready version; a null item when there is no such version. */
    Uni<byte[]> segmentKey(UUID versionId);

    /**
     * Per series, the first of {@code watched} in that series decides where to resume: that episode, or once
     * finished the next playable one. Series without a next episode answer a finished {@link Resume}; draft series
     * are left out; the answer keeps the order of {@code watched}.
     */
    Uni<List<Resume>> resume(List<Watched> watched);
}

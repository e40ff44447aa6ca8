package com.microdrama.playback;

import java.util.UUID;

/**
 * Where started plays and finished episodes are counted, for the "popular" sort and for trending; implemented by the
 * catalogue, which owns the rankings.
 */
public interface PlayCounter {

    void played(String viewerId, UUID seriesId, UUID episodeId);

    void completed(String viewerId, UUID episodeId);

    /**
     * A master playlist was opened. Feed items carry tickets handed out without a playback start, so this is where
     * their plays are seen; trending counts a viewer once per episode and window, so a start followed by its
     * playlist is still one play.
     */
    void opened(String viewerId, UUID episodeId);
}

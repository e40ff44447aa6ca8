package com.microdrama.playback;

import java.util.UUID;

/**
 * Where started plays and finished episodes are counted, for the "popular" sort and for trending; implemented by the
 * catalogue, which owns the rankings.
 */
public interface PlayCounter {

    void played(String viewerId, UUID seriesId, UUID episodeId);

    void completed(String viewerId, UUID episodeId);
}

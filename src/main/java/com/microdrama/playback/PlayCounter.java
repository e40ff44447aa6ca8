package com.microdrama.playback;

import java.util.UUID;

/** Where a started play is counted for the "popular" sort; implemented by the catalogue, which owns the ranking. */
public interface PlayCounter {

    void played(UUID seriesId);
}

package com.microdrama.paywall;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * The episodes the paywall sells, read from their owner (the catalogue implements this): an episode is visible
 * when it is published, has a playable version and its series is not a draft. One round-trip per call, or none
 * ({@link #playableCached}).
 */
public interface PricedEpisodes {

    /** The visible episode, or a null item when there is none with this id. */
    Uni<PricedEpisode> playable(UUID episodeId);

    /**
     * As {@link #playable}, from memory when the catalogue has it there (kept true by its change announcements):
     * for deciding whether a viewer may watch, on the hot path. Charging reads {@link #playable}.
     */
    Uni<PricedEpisode> playableCached(UUID episodeId);

    /** The visible episodes of a visible series that cost coins, in number order (empty for an unknown series). */
    Uni<List<PricedEpisode>> lockable(UUID seriesId);
}

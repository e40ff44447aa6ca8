package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * One swipe of the feed: the series, the episode to play and, when the viewer may watch it, a ready playback block
 * (the master URL with its token), so the player's first request is the playlist. Otherwise {@code unlock} says
 * what opens it. {@code access}: free, unlocked (bought or VIP), locked, or sign-in (anonymous callers get no
 * playback token).
 */
public record FeedItem(String reason, SeriesCard series, EpisodeCard episode, String access, @Schema(nullable = true) Playback playback,
                       @Schema(nullable = true) Unlock unlock) {

    public static final String CONTINUE_WATCHING = "continue-watching";
    public static final String TRENDING = "trending";

    public record SeriesCard(UUID id, String slug, String title, @Schema(nullable = true) CoverUrls cover) {
    }

    /** {@code resumeAtSeconds}: where the viewer stopped (0 for an episode not started). */
    public record EpisodeCard(UUID id, int number, String title, @Schema(nullable = true) Double durationSeconds, String posterUrl,
                              double resumeAtSeconds) {
    }

    @Schema(name = "FeedPlayback")
    public record Playback(UUID versionId, String masterUrl, Instant expiresAt) {
    }

    /** Coins for this episode, and where to spend them; for sign-in, the price once signed in. */
    public record Unlock(int price, @Schema(nullable = true) String unlockUrl) {
    }
}

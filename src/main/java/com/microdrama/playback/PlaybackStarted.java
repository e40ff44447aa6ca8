package com.microdrama.playback;

import java.time.Instant;
import java.util.UUID;

/**
 * A playback token was handed out: the server's own record of a play, fired as an asynchronous CDI event for
 * whoever counts plays above playback (analytics observes it). Playback never waits for, nor fails with, an observer.
 */
public record PlaybackStarted(String viewerId, UUID episodeId, Instant at) {
}

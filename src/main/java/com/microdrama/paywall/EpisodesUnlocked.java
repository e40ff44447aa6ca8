package com.microdrama.paywall;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Episodes a viewer just unlocked, fired as an asynchronous CDI event after the unlocking transaction committed:
 * the server's own record of a sale for whoever counts them above the paywall (analytics observes it). The paywall
 * never waits for, nor fails with, an observer. {@code method} is coins, batch or ad; {@code coins} is what the
 * whole unlock cost (paid + bonus), 0 for an ad.
 */
public record EpisodesUnlocked(String viewerId, UUID seriesId, List<Integer> numbers, String method, long coins,
                               Instant at) {
}

package com.microdrama.paywall;

import io.smallrye.mutiny.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides when failed Redis reads mean Redis is unavailable. An error (refused, reset, a full client pool) does at
 * once. A timeout does only as the {@value #TIMEOUTS_IN_A_ROW}th in a row with no read answered in between: reads
 * that time out while others are answered are an event loop behind its own backlog (a process just started, or a
 * saturated core), not an unavailable Redis, and backing off then would send the whole load to PostgreSQL at its
 * worst moment (seen in scripts/bench/hot-paths.sh: a cold app under 32 connections tripped it on a healthy Redis).
 * A silent Redis still trips it within one timeout under load, its concurrent reads all timing out together.
 */
final class ReadFailures {

    static final int TIMEOUTS_IN_A_ROW = 3;

    private final AtomicInteger timeoutsInARow = new AtomicInteger();

    void answered() {
        timeoutsInARow.set(0);
    }

    /** Whether this failed read means Redis is unavailable. */
    boolean unavailable(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return timeoutsInARow.incrementAndGet() >= TIMEOUTS_IN_A_ROW;
        }
        return true;
    }
}

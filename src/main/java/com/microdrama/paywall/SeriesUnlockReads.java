package com.microdrama.paywall;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Viewers' unlocks of series read from PostgreSQL (when Redis does not know them, or is away), many in one
 * statement: a read that arrives while {@link #MAX_IN_FLIGHT} statements are under way waits, and the next statement
 * takes every read waiting then (up to {@link #BATCH}). At a low rate each read is its own statement and waits for
 * nothing; under load the cost of a statement (a round trip, the event loop's encoding and decoding, PostgreSQL's
 * executor start) is shared by many. Reading one statement per read, playback starts with Redis away ran at 0.37 of
 * the cached rate (docs/benchmarks.md, issue 15).
 */
@ApplicationScoped
class SeriesUnlockReads {

    static final int MAX_IN_FLIGHT = 2;
    static final int BATCH = 200;

    private record Waiting(String viewerId, UUID seriesId, UniEmitter<? super WalletStore.SeriesUnlocks> answer,
                           Context context) {
    }

    private final Pool pool;
    /** Guarded by this, with {@link #inFlight}. */
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private int inFlight;

    SeriesUnlockReads(Pool pool) {
        this.pool = pool;
    }

    Uni<WalletStore.SeriesUnlocks> read(String viewerId, UUID seriesId) {
        return Uni.createFrom().emitter(answer -> {
            boolean send;
            synchronized (this) {
                waiting.add(new Waiting(viewerId, seriesId, answer, Vertx.currentContext()));
                send = inFlight < MAX_IN_FLIGHT;
                if (send) {
                    inFlight++;
                }
            }
            if (send) {
                sendWaiting();
            }
        });
    }

    /** One statement of what is waiting; when it is answered, the next. Called holding one in-flight slot. */
    private void sendWaiting() {
        List<Waiting> batch = new ArrayList<>();
        synchronized (this) {
            for (Waiting w; batch.size() < BATCH && (w = waiting.poll()) != null; ) {
                batch.add(w);
            }
            if (batch.isEmpty()) {
                inFlight--;
                return;
            }
        }
        WalletStore.seriesUnlocks(pool, batch.stream().map(Waiting::viewerId).toList(),
                        batch.stream().map(Waiting::seriesId).toList())
                .subscribe().with(found -> {
                    try {
                        for (int i = 0; i < batch.size(); i++) {
                            WalletStore.SeriesUnlocks unlocks = found.get(i);
                            answer(batch.get(i), w -> w.answer().complete(unlocks));
                        }
                    } finally {
                        sendWaiting();
                    }
                }, failure -> {
                    try {
                        batch.forEach(w -> answer(w, waiting -> waiting.answer().fail(failure)));
                    } finally {
                        sendWaiting();
                    }
                });
    }

    /** On the reader's own event loop, where its request goes on. */
    private static void answer(Waiting w, Consumer<Waiting> action) {
        if (w.context() == null || w.context() == Vertx.currentContext()) {
            action.accept(w);
        } else {
            w.context().runOnContext(ignored -> action.accept(w));
        }
    }
}

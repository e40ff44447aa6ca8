package com.microdrama.core.persistence;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads of one kind from a store, many sent as one request: a read that arrives while {@code maxInFlight} requests
 * are under way waits, and the next request takes every read waiting then (up to {@code maxBatch}). At a low rate
 * each read is its own request and waits for nothing; under load the cost of a request (a round trip, the event
 * loop's encoding, decoding and system calls, the store's own per-command work) is shared by many. Each reader is
 * answered on its own Vert.x context, where its request goes on; a failed request fails exactly the reads it carried.
 *
 * @param <Q> what one read asks
 * @param <A> its answer; {@code readAll} answers a batch of questions in their order
 */
public final class BatchedReads<Q, A> {

    private record Waiting<Q, A>(Q question, UniEmitter<? super A> answer, Context context) {
    }

    private final int maxInFlight;
    private final int maxBatch;
    private final Function<List<Q>, Uni<List<A>>> readAll;
    /** Guarded by this, with {@link #inFlight}. */
    private final Queue<Waiting<Q, A>> waiting = new ArrayDeque<>();
    private int inFlight;

    public BatchedReads(int maxInFlight, int maxBatch, Function<List<Q>, Uni<List<A>>> readAll) {
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
        this.readAll = readAll;
    }

    public Uni<A> read(Q question) {
        return Uni.createFrom().emitter(answer -> {
            boolean send;
            synchronized (this) {
                waiting.add(new Waiting<>(question, answer, Vertx.currentContext()));
                send = inFlight < maxInFlight;
                if (send) {
                    inFlight++;
                }
            }
            if (send) {
                sendWaiting();
            }
        });
    }

    /** One request of what is waiting; when it is answered, the next. Called holding one in-flight slot. */
    private void sendWaiting() {
        List<Waiting<Q, A>> batch = new ArrayList<>();
        synchronized (this) {
            for (Waiting<Q, A> w; batch.size() < maxBatch && (w = waiting.poll()) != null; ) {
                batch.add(w);
            }
            if (batch.isEmpty()) {
                inFlight--;
                return;
            }
        }
        Uni<List<A>> request;
        try {
            request = readAll.apply(batch.stream().map(Waiting::question).toList());
        } catch (RuntimeException e) {
            request = Uni.createFrom().failure(e);
        }
        request.subscribe().with(found -> {
            try {
                if (found.size() != batch.size()) {
                    IllegalStateException wrong = new IllegalStateException(
                            found.size() + " answers to " + batch.size() + " reads");
                    batch.forEach(w -> answer(w, failed -> failed.answer().fail(wrong)));
                    return;
                }
                for (int i = 0; i < batch.size(); i++) {
                    A a = found.get(i);
                    answer(batch.get(i), w -> w.answer().complete(a));
                }
            } finally {
                sendWaiting();
            }
        }, failure -> {
            try {
                batch.forEach(w -> answer(w, failed -> failed.answer().fail(failure)));
            } finally {
                sendWaiting();
            }
        });
    }

    private static <Q, A> void answer(Waiting<Q, A> w, Consumer<Waiting<Q, A>> action) {
        if (w.context() == null || w.context() == Vertx.currentContext()) {
            action.accept(w);
        } else {
            w.context().runOnContext(ignored -> action.accept(w));
        }
    }
}

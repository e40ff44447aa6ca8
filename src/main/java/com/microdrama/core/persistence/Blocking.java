package com.microdrama.core.persistence;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one bridge from blocking code (workers that run ffmpeg, upload streams, the MinIO SDK's calls) to the reactive
 * database clients. The Uni is subscribed on a fresh duplicated Vert.x context, which Hibernate Reactive requires
 * and the SQL client accepts, and awaited with a time limit so that a stalled database cannot hang a worker thread.
 */
public final class Blocking {

    /** Longer than any single statement or short transaction should take; a worker's job survives a retry. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Blocking() {
    }

    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> work.get().ifNoItem().after(TIMEOUT).fail());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}

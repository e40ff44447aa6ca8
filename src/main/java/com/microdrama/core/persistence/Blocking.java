package com.microdrama.core.persistence;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * The bridge from blocking code (worker threads that stream files, run ffprobe, call the MinIO SDK) to Hibernate
 * Reactive, which must run on a Vert.x context: the Uni is subscribed on a fresh duplicated context and awaited.
 */
public final class Blocking {

    private Blocking() {
    }

    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}

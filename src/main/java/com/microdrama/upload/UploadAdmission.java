package com.microdrama.upload;

import com.microdrama.core.error.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Admission control for uploads streamed through the API. Each one holds a part buffer on the heap until its last
 * part is stored, so the number running at once is bounded by the heap they need: a process takes
 * {@code heap-share × max heap ÷ (parts-in-memory × part size)} of them, a producer at most {@code per-producer}.
 * The rest are refused before their body is read — 503 when the process is full, 429 when the producer is —
 * with {@code Retry-After}, so no number of concurrent uploads can exhaust the heap and take the viewers on the
 * same process down with it.
 */
@ApplicationScoped
public class UploadAdmission {

    private final int capacity;
    private final int perProducer;
    private final UploadConfig.Admission config;
    private final Semaphore slots;
    private final ConcurrentHashMap<String, Integer> byProducer = new ConcurrentHashMap<>();
    private final Counter refusedFull;
    private final Counter refusedProducer;

    UploadAdmission(UploadConfig uploads, MeterRegistry registry) {
        this.config = uploads.admission();
        long perUpload = (long) Math.ceil(StreamedUploadService.partSize(uploads) * config.partsInMemory());
        long budget = (long) (Runtime.getRuntime().maxMemory() * config.heapShare());
        this.capacity = (int) Math.max(1, budget / perUpload);
        this.perProducer = Math.max(1, Math.min(config.perProducer(), capacity));
        this.slots = new Semaphore(capacity);
        Log.infof("Streamed uploads: %d at once in this process (%d MiB each of a %d MiB budget), %d per producer",
                capacity, perUpload >> 20, budget >> 20, perProducer);
        Gauge.builder("upload_streams_in_flight", slots, s -> capacity - s.availablePermits())
                .description("Streamed uploads running in this process").register(registry);
        Gauge.builder("upload_streams_capacity", () -> capacity)
                .description("Streamed uploads this process admits at once").register(registry);
        this.refusedFull = refused(registry, "process");
        this.refusedProducer = refused(registry, "producer");
    }

    /** A place for one upload; closing it gives the place back. Throws the 503 or 429 when there is none. */
    public Ticket admit(String producerId) {
        if (byProducer.merge(producerId, 1, Integer::sum) > perProducer) {
            release(producerId);
            refusedProducer.increment();
            throw new ApiException(429, "Too many uploads", "you already have " + perProducer
                    + " uploads running; wait for one to finish").retryAfter(config.retryAfter())
                    .with("limit", perProducer);
        }
        if (!slots.tryAcquire()) {
            release(producerId);
            refusedFull.increment();
            throw new ApiException(503, "Uploads busy", "this server is receiving as many uploads as it can hold; "
                    + "try again shortly").retryAfter(config.retryAfter());
        }
        return () -> {
            slots.release();
            release(producerId);
        };
    }

    public int capacity() {
        return capacity;
    }

    private void release(String producerId) {
        byProducer.computeIfPresent(producerId, (id, running) -> running == 1 ? null : running - 1);
    }

    private static Counter refused(MeterRegistry registry, String scope) {
        return Counter.builder("upload_streams_refused_total").tag("scope", scope)
                .description("Streamed uploads refused because the process or the producer was at its limit")
                .register(registry);
    }

    /** A held upload place. */
    public interface Ticket extends AutoCloseable {
        @Override
        void close();
    }
}

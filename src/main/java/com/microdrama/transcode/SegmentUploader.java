package com.microdrama.transcode;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Uploads a ladder's segments while ffmpeg is still writing them, so the upload overlaps the encode instead of
 * following it. The HLS muxer closes a rung's segment before it opens the next one, so once {@code seg_N+1.ts} exists
 * in a rung's directory {@code seg_N.ts} is complete. What is left when the encode ends (each rung's last segment, the
 * playlists, the poster, the master) is uploaded after it by the caller, which skips what {@link #uploaded} holds.
 * Nothing is visible to viewers before the master is written, last. An upload that fails here is simply left for the
 * caller's pass (with its retries); an attempt that does not publish removes what was sent with {@link #discard}.
 */
final class SegmentUploader implements AutoCloseable {

    /** Uploads one file to one key: JobRunner's upload with its retries. */
    interface Upload {
        void upload(Path file, String key, String contentType) throws Exception;
    }

    /** Removes keys from storage. */
    interface Delete {
        void delete(List<String> keys) throws Exception;
    }

    private static final Duration POLL = Duration.ofMillis(250);

    private final Path out;
    private final List<String> rungs;
    private final String prefix;
    private final Upload upload;
    private final BooleanSupplier stopRequested;
    private final Set<Path> uploaded = ConcurrentHashMap.newKeySet();
    private final List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    SegmentUploader(Path out, List<String> rungs, String prefix, Upload upload, BooleanSupplier stopRequested,
                    String name) {
        this.out = out;
        this.rungs = rungs;
        this.prefix = prefix;
        this.upload = upload;
        this.stopRequested = stopRequested;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running && !stopRequested.getAsBoolean()) {
                for (String rung : rungs) {
                    List<Path> segments = segments(rung);
                    // All but the newest: that one may still be written.
                    for (Path segment : segments.subList(0, Math.max(0, segments.size() - 1))) {
                        if (!running || stopRequested.getAsBoolean()) {
                            return;
                        }
                        if (!uploaded.contains(segment)) {
                            String key = prefix + rung + "/" + segment.getFileName();
                            keys.add(key);
                            upload.upload(segment, key, "video/mp2t");
                            uploaded.add(segment);
                        }
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The caller's pass after the encode uploads whatever is missing, with its own retries.
            Log.debugf("Uploading segments during the encode stopped: %s", e.getMessage());
        }
    }

    private List<Path> segments(String rung) throws IOException {
        Path dir = out.resolve(rung);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ts")).sorted().toList();
        }
    }

    /** Whether {@code file} is already in storage. */
    boolean uploaded(Path file) {
        return uploaded.contains(file);
    }

    /**
     * Stops uploading and waits until no upload is in flight; an attempt told to stop does not wait for one (a PUT
     * cut short leaves no object: S3 writes an object whole or not at all).
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        if (stopRequested.getAsBoolean()) {
            thread.interrupt();
        }
        thread.join();
    }

    /** Removes what was uploaded (an attempt that will not publish); the caller has closed this first. */
    void discard(Delete delete) {
        List<String> sent;
        synchronized (keys) {
            sent = List.copyOf(keys);
        }
        if (sent.isEmpty()) {
            return;
        }
        try {
            delete.delete(sent);
        } catch (Exception e) {
            Log.warnf("Could not remove %d segments uploaded during a failed encode under %s: %s", sent.size(), prefix,
                    e.getMessage());
        }
    }
}

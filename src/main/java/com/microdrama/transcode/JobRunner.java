package com.microdrama.transcode;

import com.microdrama.catalogue.EpisodeLifecycle;
import com.microdrama.catalogue.MediaTracks;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.media.MediaProbe;
import com.microdrama.core.media.MediaRejected;
import com.microdrama.core.media.ProbeResult;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.transcode.ladder.DubCommand;
import com.microdrama.transcode.ladder.LadderCommand;
import com.microdrama.transcode.ladder.LadderPlanner;
import com.microdrama.transcode.ladder.MasterPlaylist;
import com.microdrama.transcode.ladder.NeedlessRungs;
import com.microdrama.transcode.ladder.PlannedRung;
import com.microdrama.transcode.ladder.RenditionStats;
import com.microdrama.transcode.ladder.RungQuality;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Runs one leased job from source to published version. Everything here blocks (S3, ffmpeg, files): it runs on
 * the transcode worker threads, never on the event loop.
 */
@ApplicationScoped
public class JobRunner {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int UPLOAD_TRIES = 3;
    private static final Duration UPLOAD_RETRY_PAUSE = Duration.ofMillis(200);

    private final TranscodeConfig config;
    private final JobStore store;
    private final ObjectStorage storage;
    private final MediaProbe prober;
    private final LadderEncoder encoder;
    private final TranscodeMetrics metrics;
    private final ScratchSpace scratch;
    private final MediaTracks tracks;
    private final QualityMeter qualityMeter;

    JobRunner(TranscodeConfig config, JobStore store, ObjectStorage storage, MediaProbe prober, LadderEncoder encoder,
              TranscodeMetrics metrics, ScratchSpace scratch, MediaTracks tracks, QualityMeter qualityMeter) {
        this.tracks = tracks;
        this.qualityMeter = qualityMeter;
        this.metrics = metrics;
        this.scratch = scratch;
        this.config = config;
        this.store = store;
        this.storage = storage;
        this.prober = prober;
        this.encoder = encoder;
    }

    /**
     * Runs one attempt. {@code shuttingDown} turns true when this worker is told to stop: ffmpeg is killed and the
     * job handed back to the queue (queued again, the attempt not counted) once its scratch directory is gone.
     */
    public void run(ClaimedJob job, ScheduledExecutorService scheduler, BooleanSupplier shuttingDown) {
        Path dir = null;
        String logTail = null;
        long attemptStarted = System.nanoTime();
        String outcome = "retry";
        boolean handBack = false;
        SegmentUploader streamed = null;
        try (Heartbeat heartbeat = new Heartbeat(store, job, config.worker().lease(), config.worker().heartbeat(),
                scheduler, shuttingDown)) {
            try {
                if (heartbeat.stopRequested()) {
                    throw new LadderEncoder.Stopped();
                }
                dir = scratch.create(job);
                EpisodeLifecycle.EncodeSource version = store.sourceOf(job.versionId(), randomBytes(16));
                if (job.dub()) {
                    outcome = dub(job, dir, writeKeyInfo(dir, job, version.encryptionKey()), heartbeat);
                    return;
                }
                Path source = dir.resolve("source");
                PhaseClock clock = new PhaseClock();
                storage.download(version.sourceKey(), source);
                clock.lap("download");
                ProbeResult facts = probe(source);
                clock.lap("probe");
                List<PlannedRung> rungs = LadderPlanner.plan(config.ladder(), config.rateControl(), facts.width(),
                        facts.height());
                double frameRate = LadderCommand.outputFrameRate(facts.frameRate());
                Optional<QualityMeter.Plan> qualityPlan = config.quality().enabled()
                        ? Optional.of(qualityMeter.plan(facts.durationSeconds(), frameRate)) : Optional.empty();
                double posterAt = Math.min(1.0, facts.durationSeconds() / 3);
                LadderCommand command = new LadderCommand(rungs, frameRate, facts.audio(), config.segmentSeconds(),
                        config.x264Preset(), config.audioBitrate(), LadderCommand.posterFrame(posterAt, frameRate),
                        qualityPlan.map(QualityMeter.Plan::select));
                List<Path> references = qualityPlan.isPresent() ? qualityMeter.referenceFiles(dir, rungs) : List.of();

                Path out = dir.resolve("hls");
                Files.createDirectories(out);
                Path keyInfo = writeKeyInfo(dir, job, version.encryptionKey());
                String prefix = "hls/" + version.episodeId() + "/" + job.versionId() + "/";
                // Segments go to storage while ffmpeg writes the next ones, unless a rung may still be dropped.
                if (config.dropRungAboveRatio().isEmpty()) {
                    streamed = new SegmentUploader(out, rungs.stream().map(PlannedRung::name).toList(), prefix,
                            this::uploadWithRetries, heartbeat::stopRequested, "segment-upload-" + job.id());
                }
                long started = System.nanoTime();
                Duration deadline = config.encodeDeadline().of(facts.durationSeconds());
                LadderEncoder.Outcome encoded = encoder.encode(source, out, keyInfo, command, references, deadline,
                        seconds -> heartbeat.progress((int) (90 * seconds / Math.max(facts.durationSeconds(), 0.1))),
                        heartbeat::stopRequested);
                if (streamed != null) {
                    streamed.close();
                }
                logTail = encoded.logTail();
                double wallSeconds = (System.nanoTime() - started) / 1e9;
                clock.lap("encode");
                if (!Files.exists(out.resolve("poster.jpg")) || !Files.exists(out.resolve("thumbnail.jpg"))) {
                    // The ladder's pass makes them from its own decode; a source with fewer frames than its stated
                    // duration leaves none, and a run of its own seeks for one.
                    encoder.poster(source, posterAt, out.resolve("poster.jpg"), out.resolve("thumbnail.jpg"),
                            config.encodeDeadline().minimum());
                }
                clock.lap("poster");
                List<RungQuality> quality = quality(job, out, rungs, frameRate, version.encryptionKey(), qualityPlan,
                        references, dir, heartbeat);
                clock.lap("quality");
                List<RenditionStats> renditions = NeedlessRungs.kept(MasterPlaylist.measure(out, rungs, frameRate),
                        config.dropRungAboveRatio());
                Files.writeString(out.resolve("master.m3u8"), MasterPlaylist.render(renditions));
                clock.lap("master");

                uploadOutputs(out, prefix, renditions.stream().map(RenditionStats::rung).toList(), heartbeat, streamed);
                clock.lap("upload");
                heartbeat.progress(99);
                if (heartbeat.stopRequested()) {
                    throw new LadderEncoder.Stopped();
                }
                double speed = facts.durationSeconds() / Math.max(wallSeconds, 0.001);
                boolean published = store.publish(job, renditions, quality, new JobStore.Published(prefix,
                        prefix + "poster.jpg", prefix + "thumbnail.jpg", (int) Math.round(facts.durationSeconds() * 1000),
                        speed));
                streamed = null;
                clock.lap("publish");
                outcome = published ? "succeeded" : "abandoned";
                if (published) {
                    metrics.encoded(speed);
                }
                Log.infof("Job %s attempt %d %s: %d of %d rungs in %.1f s (phases: %s)", job.id(), job.attempt(),
                        published ? "published" : "finished after losing its lease", renditions.size(), rungs.size(),
                        wallSeconds, clock);
            } catch (Exception e) {
                discard(streamed, heartbeat, e);
                if (heartbeat.handingBack()) {
                    outcome = "handed_back";
                    handBack = true;
                } else {
                    outcome = ended(job, heartbeat.verdict(), e, logTail);
                }
            }
        } finally {
            if (dir != null) {
                deleteRecursively(dir);
            }
            if (handBack) {
                handBack(job);
            }
            metrics.attemptEnded(outcome, Duration.ofNanos(System.nanoTime() - attemptStarted));
        }
    }

    /**
     * A dub: one audio rendition of a ready version, encrypted with its key, uploaded under the track's own
     * directory, live with the job's success. The video ladder is not touched.
     */
    private String dub(ClaimedJob job, Path dir, Path keyInfo, Heartbeat heartbeat) throws Exception {
        MediaTracks.DubSource dub = Blocking.await(() -> tracks.dubSource(job.trackId()));
        Path source = dir.resolve("source");
        storage.download(dub.sourceKey(), source);
        try {
            prober.probeAudio(source);
        } catch (MediaRejected e) {
            throw new MediaFailure("the dub cannot be encoded: " + e.reason());
        }
        double episodeSeconds = dub.durationMs() / 1000.0;
        Path out = dir.resolve(dub.dir());
        Files.createDirectories(out);
        long started = System.nanoTime();
        encoder.encodeAudio(source, out, keyInfo, new DubCommand(episodeSeconds, config.segmentSeconds(),
                        config.audioBitrate()), config.encodeDeadline().of(episodeSeconds),
                seconds -> heartbeat.progress((int) (90 * seconds / Math.max(episodeSeconds, 0.1))),
                heartbeat::stopRequested);
        double speed = episodeSeconds / Math.max((System.nanoTime() - started) / 1e9, 0.001);
        MasterPlaylist.Bitrates bitrates = MasterPlaylist.bitrates(out);
        String prefix = dub.hlsPrefix() + dub.dir() + "/";
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ts")).sorted().toList()) {
                if (heartbeat.stopRequested()) {
                    throw new LadderEncoder.Stopped();
                }
                uploadWithRetries(file, prefix + file.getFileName(), "video/mp2t");
            }
        }
        uploadWithRetries(out.resolve("index.m3u8"), prefix + "index.m3u8", "application/vnd.apple.mpegurl");
        heartbeat.progress(99);
        if (heartbeat.stopRequested()) {
            throw new LadderEncoder.Stopped();
        }
        boolean published = store.publishDub(job, bitrates.peak(), bitrates.average(), speed);
        Log.infof("Job %s attempt %d: dub %s %s", job.id(), job.attempt(), dub.language(),
                published ? "live" : "finished after losing its lease");
        return published ? "succeeded" : "abandoned";
    }

    /**
     * The quality report, or none when it is switched off or cannot be measured: a ladder that encoded and decodes
     * is still worth publishing, so a comparison ffmpeg refuses costs the report, never the version.
     */
    private List<RungQuality> quality(ClaimedJob job, Path out, List<PlannedRung> rungs, double frameRate, byte[] key,
                                      Optional<QualityMeter.Plan> plan, List<Path> references, Path dir,
                                      Heartbeat heartbeat) throws IOException {
        if (plan.isEmpty()) {
            return List.of();
        }
        try {
            return qualityMeter.measure(out, rungs, frameRate, key, plan.get(), references, dir,
                    heartbeat::stopRequested);
        } catch (LadderEncoder.EncodeFailure | IllegalStateException e) {
            Log.warnf("Job %s: no quality report (%s)\n%s", job.id(), e.getMessage(),
                    e instanceof LadderEncoder.EncodeFailure f ? f.logTail() : "");
            return List.of();
        }
    }

    /**
     * Segments uploaded during an encode whose attempt then failed are removed, unless the lease was taken over: the
     * new owner writes the same keys.
     */
    private void discard(SegmentUploader streamed, Heartbeat heartbeat, Exception e) {
        if (streamed == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            streamed.close();
            boolean leaseLost = e instanceof LadderEncoder.Stopped && !heartbeat.handingBack()
                    && heartbeat.verdict() != JobStore.Verdict.CANCEL;
            if (!leaseLost) {
                streamed.discard(storage::delete);
            }
        } catch (InterruptedException stillInterrupted) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What an attempt that threw comes to: cancelled, abandoned, failed for good, or retried later. */
    private String ended(ClaimedJob job, JobStore.Verdict verdict, Exception e, String logTail) {
        if (e instanceof LadderEncoder.Stopped) {
            if (verdict == JobStore.Verdict.CANCEL) {
                store.cancelled(job);
                Log.infof("Job %s cancelled", job.id());
                return "cancelled";
            }
            Log.warnf("Job %s attempt %d abandoned: its lease was taken over", job.id(), job.attempt());
            return "abandoned";
        }
        if (e instanceof LadderEncoder.EncodeFailure failure) {
            metrics.failed("media");
            store.fail(job, failure.getMessage(), failure.logTail());
            return "failed";
        }
        if (e instanceof MediaFailure) {
            metrics.failed("media");
            store.fail(job, e.getMessage(), logTail);
            return "failed";
        }
        if (e instanceof LadderEncoder.Killed killed) {
            logTail = killed.logTail();
        }
        // Storage, network, disk, an ffmpeg killed from outside: worth another attempt later.
        Duration delay = backoff(job.attempt());
        Log.warnf("Job %s attempt %d hit a transient fault, retrying in %s: %s", job.id(), job.attempt(), delay, e);
        String outcome = "retry";
        if (job.attempt() >= job.maxAttempts()) {
            outcome = "failed";
            metrics.failed("retries_exhausted");
        } else {
            metrics.retried();
        }
        store.retryLater(job, String.valueOf(e.getMessage()), logTail, delay);
        return outcome;
    }

    /** Runs with the interrupt flag cleared: a worker interrupted to stop must still reach the database. */
    private void handBack(ClaimedJob job) {
        boolean interrupted = Thread.interrupted();
        try {
            if (store.handBack(job)) {
                Log.infof("Job %s attempt %d handed back to the queue: this worker is stopping", job.id(), job.attempt());
            }
        } catch (RuntimeException e) {
            Log.warnf("Job %s not handed back (another worker takes it when its lease expires): %s", job.id(),
                    e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The same hardened probe as at upload: the worker does not trust stored metadata blindly. */
    private ProbeResult probe(Path source) {
        try {
            return prober.probe(source);
        } catch (MediaRejected e) {
            throw new MediaFailure("the source cannot be transcoded: " + e.reason());
        }
    }

    /**
     * Renditions first, the master playlist last: a reader that finds the master finds everything it names.
     * The key file never leaves the job directory. Segments {@code streamed} during the encode are not sent again.
     */
    private void uploadOutputs(Path out, String prefix, List<PlannedRung> rungs, Heartbeat heartbeat,
                               SegmentUploader streamed) throws Exception {
        for (PlannedRung rung : rungs) {
            try (Stream<Path> files = Files.list(out.resolve(rung.name()))) {
                for (Path file : files.sorted().toList()) {
                    if (heartbeat.stopRequested()) {
                        throw new LadderEncoder.Stopped();
                    }
                    if (streamed != null && streamed.uploaded(file)) {
                        continue;
                    }
                    String name = file.getFileName().toString();
                    String type = name.endsWith(".ts") ? "video/mp2t" : "application/vnd.apple.mpegurl";
                    uploadWithRetries(file, prefix + rung.name() + "/" + name, type);
                }
            }
        }
        uploadWithRetries(out.resolve("poster.jpg"), prefix + "poster.jpg", "image/jpeg");
        uploadWithRetries(out.resolve("thumbnail.jpg"), prefix + "thumbnail.jpg", "image/jpeg");
        uploadWithRetries(out.resolve("master.m3u8"), prefix + "master.m3u8", "application/vnd.apple.mpegurl");
    }

    /**
     * A storage blip should not cost a whole re-encode: each object gets a few quick tries in place. A fault that
     * outlasts them fails the attempt, and the job is retried later with backoff.
     */
    private void uploadWithRetries(Path file, String key, String contentType) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                storage.upload(file, key, contentType);
                return;
            } catch (Exception e) {
                if (attempt >= UPLOAD_TRIES) {
                    throw e;
                }
                Log.debugf("Upload of %s failed (try %d), retrying: %s", key, attempt, e.getMessage());
                Thread.sleep(UPLOAD_RETRY_PAUSE.toMillis() * attempt);
            }
        }
    }

    private Path writeKeyInfo(Path dir, ClaimedJob job, byte[] key) throws IOException {
        Path keyFile = dir.resolve("segment.key");
        Files.write(keyFile, key);
        String uri = config.keyUri().replace("{version}", job.versionId().toString());
        Path info = dir.resolve("key.info");
        Files.writeString(info, uri + "\n" + keyFile + "\n" + HexFormat.of().formatHex(randomBytes(16)) + "\n");
        return info;
    }

    Duration backoff(int attempt) {
        long millis = config.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, config.retryBackoffMax().toMillis()));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            Log.warnf("Could not remove job directory %s: %s", dir, e.getMessage());
        }
    }

    /** Wall seconds of each phase of an attempt, for the log line that ends it (scripts/bench/ladder.sh reads it). */
    private static final class PhaseClock {
        private final StringBuilder laps = new StringBuilder();
        private long last = System.nanoTime();

        void lap(String phase) {
            long now = System.nanoTime();
            laps.append(laps.isEmpty() ? "" : " ").append(phase).append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return laps.toString();
        }
    }
}

package com.microdrama.transcode;

import com.microdrama.transcode.ladder.MediaPlaylist;
import com.microdrama.transcode.ladder.PlannedRung;
import com.microdrama.transcode.ladder.RungQuality;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ladder's quality report: each rung's SSIM and PSNR against the source scaled to that rung (ffmpeg's ssim and
 * psnr filters), measured on a sample. One segment in {@code transcode.quality.sample-every} — the middle one of each
 * run of that many — is compared, and in it one frame in {@code transcode.quality.frame-every}. The reference frames
 * come from the encode itself: the ladder's one ffmpeg pass also writes each rung's own input frames (after its
 * scale and pad) for the sampled frames, uncompressed, so the source is never decoded or scaled again (seeking
 * into it cost a decode from the keyframe before each sampled segment, most of the report's CPU on long-GOP
 * sources). Afterwards one ffmpeg process per sampled segment decodes the rungs' segments (decrypted here with the
 * version's key) and compares the sampled frames with the kept ones.
 */
@ApplicationScoped
public class QualityMeter {

    private static final Pattern SSIM_ALL = Pattern.compile("All:([0-9.]+)");
    private static final Pattern PSNR_MSE = Pattern.compile("mse_avg:([0-9.]+)");
    /** PSNR of identical frames is infinite; reported as this many dB. */
    private static final double PSNR_IDENTICAL = 100;
    /** Both sides of a comparison are numbered 0, 1, 2… in one time base, so frames pair by index, never by rounding. */
    private static final String BY_INDEX = "settb=1/30,setpts=N";

    private final LadderEncoder encoder;
    private final TranscodeConfig config;

    QualityMeter(LadderEncoder encoder, TranscodeConfig config) {
        this.encoder = encoder;
        this.config = config;
    }

    /**
     * The segment indices compared out of {@code count}: the middle one of every whole run of {@code every}, or the
     * middle segment when there is no whole run.
     */
    static List<Integer> sampled(int count, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("transcode.quality.sample-every must be at least 1, not " + every);
        }
        List<Integer> picked = new ArrayList<>();
        for (int run = 0; run + every <= count; run += every) {
            picked.add(run + every / 2);
        }
        if (picked.isEmpty() && count > 0) {
            picked.add(count / 2);
        }
        return picked;
    }

    /**
     * The frames a report compares, known before the encode so that the encode can keep their references. Frames are
     * numbered on the ladder's output timeline (after its {@code fps} filter: constant rate, the first frame 0).
     * Segment {@code j} starts at the first frame at or after {@code j × segment seconds}, where the ladder forces its
     * keyframes and the HLS muxer cuts.
     */
    public record Plan(List<Sample> samples, int frameEvery) {

        /**
         * A sampled segment: its index, its first frame, its frames, and how many of them are compared — from the
         * {@code offset}-th on, one in {@code frameEvery}.
         */
        public record Sample(int segment, int firstFrame, int frames, int offset, int compared) {
        }

        /** The {@code select} expression that keeps exactly the compared frames of the whole output timeline. */
        public String select() {
            String kept = samples.stream().filter(s -> s.compared() > 0)
                    .map(s -> "between(n," + (s.firstFrame() + s.offset()) + ',' + (s.firstFrame() + s.frames() - 1)
                            + ")*not(mod(n-" + (s.firstFrame() + s.offset()) + ',' + frameEvery + "))")
                    .collect(Collectors.joining("+"));
            return kept.isEmpty() ? "0" : kept;
        }

        /** How many frames come before {@code sample}'s in the reference files (they hold the compared frames in order). */
        int framesBefore(Sample sample) {
            return samples.stream().takeWhile(s -> s != sample).mapToInt(Sample::compared).sum();
        }
    }

    /** The first frame of segment {@code index}: the first whose time is at or after the segment's start. */
    static int firstFrame(int index, int segmentSeconds, double frameRate) {
        return (int) Math.ceil(index * segmentSeconds * frameRate - 1e-6);
    }

    static Plan plan(double durationSeconds, double frameRate, int segmentSeconds, int sampleEvery, int frameEvery) {
        if (frameEvery < 1) {
            throw new IllegalArgumentException("transcode.quality.frame-every must be at least 1, not " + frameEvery);
        }
        int total = (int) Math.round(durationSeconds * frameRate);
        int segments = 0;
        while (firstFrame(segments, segmentSeconds, frameRate) < total) {
            segments++;
        }
        // Started halfway into a run of frame-every, the picks fall on every frame type in turn (frame-every 7 is
        // prime to x264's usual I/P/B patterns) rather than always on the segment's keyframe.
        int offset = frameEvery / 2;
        List<Plan.Sample> samples = new ArrayList<>();
        for (int index : sampled(segments, sampleEvery)) {
            int first = firstFrame(index, segmentSeconds, frameRate);
            int frames = Math.min(total, firstFrame(index + 1, segmentSeconds, frameRate)) - first;
            samples.add(new Plan.Sample(index, first, frames, offset,
                    frames > offset ? (frames - offset - 1) / frameEvery + 1 : 0));
        }
        return new Plan(List.copyOf(samples), frameEvery);
    }

    /** The report's plan for a source of {@code durationSeconds}, encoded at {@code frameRate}. */
    public Plan plan(double durationSeconds, double frameRate) {
        return plan(durationSeconds, frameRate, config.segmentSeconds(), config.quality().sampleEvery(),
                config.quality().frameEvery());
    }

    /** Where the encode writes each rung's reference frames (raw yuv420p, the compared frames in order). */
    public List<Path> referenceFiles(Path jobDir, List<PlannedRung> rungs) throws IOException {
        Path work = Files.createDirectories(jobDir.resolve("quality"));
        return IntStream.range(0, rungs.size()).mapToObj(r -> work.resolve("reference-" + rungs.get(r).name() + ".yuv"))
                .toList();
    }

    /**
     * Compares each rung written under {@code outDir/<rung>/} with the reference frames the encode kept for
     * {@code plan}; works in {@code jobDir/quality}. A sampled segment that did not come out as planned (another
     * first frame or length than the plan's, frames missing) is left out, with a warning.
     */
    public List<RungQuality> measure(Path outDir, List<PlannedRung> rungs, double frameRate, byte[] key, Plan plan,
                                     List<Path> references, Path jobDir, BooleanSupplier stopRequested)
            throws IOException {
        Path work = Files.createDirectories(jobDir.resolve("quality"));
        List<MediaPlaylist> playlists = rungs.stream()
                .map(r -> MediaPlaylist.read(outDir.resolve(r.name()).resolve("index.m3u8"))).toList();
        List<MediaPlaylist.Segment> timeline = playlists.get(0).segments();
        Duration deadline = config.encodeDeadline().minimum();
        List<List<Double>> ssims = rungs.stream().map(r -> (List<Double>) new ArrayList<Double>()).toList();
        List<List<Double>> mses = rungs.stream().map(r -> (List<Double>) new ArrayList<Double>()).toList();
        for (Plan.Sample sample : plan.samples()) {
            if (sample.compared() == 0) {
                continue;
            }
            String mismatch = mismatch(sample, timeline, frameRate);
            if (mismatch == null) {
                mismatch = missingReferences(sample, plan, rungs, references);
            }
            if (mismatch != null) {
                Log.warnf("Quality report: segment %d left out (%s)", sample.segment(), mismatch);
                continue;
            }
            List<Path> inputs = new ArrayList<>();
            List<LadderEncoder.Reference> kept = new ArrayList<>();
            StringBuilder graph = new StringBuilder();
            List<Path> ssimLogs = new ArrayList<>();
            List<Path> psnrLogs = new ArrayList<>();
            for (int r = 0; r < rungs.size(); r++) {
                PlannedRung rung = rungs.get(r);
                MediaPlaylist playlist = playlists.get(r);
                int index = sample.segment();
                Path plain = work.resolve("s" + index + "-r" + r + ".ts");
                decrypt(playlist.segments().get(index).file(), plain, key, playlist.iv().orElse(sequenceIv(index)));
                inputs.add(plain);
                kept.add(new LadderEncoder.Reference(references.get(r), rung.width(), rung.height(),
                        (long) plan.framesBefore(sample) * frameBytes(rung)));
                Path ssim = work.resolve("ssim-s" + index + "-r" + r + ".log");
                Path psnr = work.resolve("psnr-s" + index + "-r" + r + ".log");
                ssimLogs.add(ssim);
                psnrLogs.add(psnr);
                int referenceInput = rungs.size() + r;
                graph.append(graph.isEmpty() ? "" : ";")
                        .append('[').append(r).append(":v]select='gte(n,").append(sample.offset()).append(")*not(mod(n-")
                        .append(sample.offset()).append(',').append(plan.frameEvery()).append("))',").append(BY_INDEX)
                        .append(",split[d").append(r).append("][e").append(r).append("];")
                        .append('[').append(referenceInput).append(":v]trim=end_frame=").append(sample.compared())
                        .append(',').append(BY_INDEX).append(",split[k").append(r).append("][l").append(r).append("];")
                        .append("[d").append(r).append("][k").append(r).append("]ssim=shortest=1:stats_file=")
                        .append(quoted(ssim)).append(";[e").append(r).append("][l").append(r)
                        .append("]psnr=shortest=1:stats_file=").append(quoted(psnr));
            }
            encoder.measure(inputs, kept, graph.toString(), jobDir, deadline, stopRequested);
            for (int r = 0; r < rungs.size(); r++) {
                List<Double> sampleSsims = values(ssimLogs.get(r), SSIM_ALL);
                List<Double> sampleMses = values(psnrLogs.get(r), PSNR_MSE);
                if (sampleSsims.size() != sample.compared() || sampleMses.size() != sample.compared()) {
                    Log.warnf("Quality report: segment %d of %s left out (%d frames compared, %d planned)",
                            sample.segment(), rungs.get(r).name(), sampleSsims.size(), sample.compared());
                    continue;
                }
                ssims.get(r).addAll(sampleSsims);
                mses.get(r).addAll(sampleMses);
            }
        }
        List<RungQuality> report = new ArrayList<>();
        for (int r = 0; r < rungs.size(); r++) {
            if (ssims.get(r).isEmpty()) {
                throw new IllegalStateException("no frame of rung " + rungs.get(r).name() + " could be compared");
            }
            double mse = mses.get(r).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double psnr = mse == 0 ? PSNR_IDENTICAL : Math.min(PSNR_IDENTICAL, 10 * Math.log10(255 * 255 / mse));
            report.add(new RungQuality(rungs.get(r).name(),
                    ssims.get(r).stream().mapToDouble(Double::doubleValue).average().orElseThrow(), psnr,
                    ssims.get(r).size()));
        }
        return report;
    }

    /** Why a sampled segment cannot be compared as planned, or null when it can. */
    private static String mismatch(Plan.Sample sample, List<MediaPlaylist.Segment> timeline, double frameRate) {
        if (sample.segment() >= timeline.size()) {
            return "the ladder has " + timeline.size() + " segments";
        }
        MediaPlaylist.Segment segment = timeline.get(sample.segment());
        long first = Math.round(segment.start() * frameRate);
        long frames = Math.round(segment.duration() * frameRate);
        if (first != sample.firstFrame() || frames != sample.frames()) {
            return "frames " + first + "+" + frames + " written, " + sample.firstFrame() + "+" + sample.frames()
                    + " planned";
        }
        return null;
    }

    private static String missingReferences(Plan.Sample sample, Plan plan, List<PlannedRung> rungs,
                                             List<Path> references) throws IOException {
        for (int r = 0; r < rungs.size(); r++) {
            long needed = (long) (plan.framesBefore(sample) + sample.compared()) * frameBytes(rungs.get(r));
            long kept = Files.exists(references.get(r)) ? Files.size(references.get(r)) : 0;
            if (kept < needed) {
                return "the encode kept " + kept + " bytes of " + rungs.get(r).name() + " reference frames, "
                        + needed + " needed";
            }
        }
        return null;
    }

    /** One yuv420p frame of the rung's size. */
    static long frameBytes(PlannedRung rung) {
        return (long) rung.width() * rung.height() + 2L * ((rung.width() + 1) / 2) * ((rung.height() + 1) / 2);
    }

    /** HLS AES-128: CBC with PKCS#7 padding; without an IV in the playlist, the segment's sequence number is the IV. */
    private static void decrypt(Path encrypted, Path plain, byte[] key, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            Files.write(plain, cipher.doFinal(Files.readAllBytes(encrypted)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("segment " + encrypted.getFileName() + " does not decrypt with its key", e);
        }
    }

    private static byte[] sequenceIv(int sequence) {
        return ByteBuffer.allocate(16).putLong(8, sequence).array();
    }

    /** A filter option value in single quotes; the job directory's path never holds a quote (it is ours). */
    private static String quoted(Path file) {
        return "'" + file.toAbsolutePath() + "'";
    }

    private static List<Double> values(Path statsFile, Pattern pattern) {
        try {
            List<Double> values = new ArrayList<>();
            for (String line : Files.readAllLines(statsFile)) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    values.add(Double.parseDouble(m.group(1)));
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

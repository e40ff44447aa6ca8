package com.microdrama.transcode;

import com.microdrama.transcode.ladder.MediaPlaylist;
import com.microdrama.transcode.ladder.PlannedRung;
import com.microdrama.transcode.ladder.RungQuality;
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
 * psnr filters), measured on a sample of segments. Comparing every frame would mean decoding the whole source again
 * and every rung once more (about a third of the encode's CPU on a 1080×1920 ladder); one segment in
 * {@code transcode.quality.sample-every} — the middle one of each run of that many — is decoded instead: the
 * source is sought to the segment's start and read for its duration, the rungs' segments are decrypted with the
 * version's key and decoded whole, and one ffmpeg process per sampled segment compares all the rungs at once.
 */
@ApplicationScoped
public class QualityMeter {

    private static final Pattern SSIM_ALL = Pattern.compile("All:([0-9.]+)");
    private static final Pattern PSNR_MSE = Pattern.compile("mse_avg:([0-9.]+)");
    /** PSNR of identical frames is infinite; reported as this many dB. */
    private static final double PSNR_IDENTICAL = 100;

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

    /** Compares each rung written under {@code outDir/<rung>/} with the source; works in {@code jobDir/quality}. */
    public List<RungQuality> measure(Path source, Path outDir, List<PlannedRung> rungs, double frameRate, byte[] key,
                                     Path jobDir, BooleanSupplier stopRequested) throws IOException {
        Path work = Files.createDirectories(jobDir.resolve("quality"));
        List<MediaPlaylist> playlists = rungs.stream()
                .map(r -> MediaPlaylist.read(outDir.resolve(r.name()).resolve("index.m3u8"))).toList();
        List<MediaPlaylist.Segment> timeline = playlists.get(0).segments();
        Duration deadline = config.encodeDeadline().minimum();
        List<Path> ssimLogs = new ArrayList<>();
        List<Path> psnrLogs = new ArrayList<>();
        for (int index : sampled(timeline.size(), config.quality().sampleEvery())) {
            List<Path> decrypted = new ArrayList<>();
            StringBuilder graph = new StringBuilder();
            for (int r = 0; r < rungs.size(); r++) {
                MediaPlaylist playlist = playlists.get(r);
                Path plain = work.resolve("s" + index + "-r" + r + ".ts");
                decrypt(playlist.segments().get(index).file(), plain, key, playlist.iv().orElse(sequenceIv(index)));
                decrypted.add(plain);
                Path ssim = work.resolve("ssim-s" + index + "-r" + r + ".log");
                Path psnr = work.resolve("psnr-s" + index + "-r" + r + ".log");
                ssimLogs.add(ssim);
                psnrLogs.add(psnr);
                graph.append(";[s").append(r).append(']').append(rungs.get(r).fitFilter()).append(",split[rs").append(r)
                        .append("][rp").append(r).append("];[").append(r + 1).append(":v]setpts=PTS-STARTPTS,split[ds")
                        .append(r).append("][dp").append(r).append("];[ds").append(r).append("][rs").append(r)
                        .append("]ssim=shortest=1:stats_file=").append(quoted(ssim)).append(";[dp").append(r)
                        .append("][rp").append(r).append("]psnr=shortest=1:stats_file=").append(quoted(psnr));
            }
            String splits = IntStream.range(0, rungs.size()).mapToObj(r -> "[s" + r + "]").collect(Collectors.joining());
            MediaPlaylist.Segment segment = timeline.get(index);
            encoder.measure(source, segment.start(), segment.duration(), decrypted,
                    "[0:v]fps=" + frameRate + ",setpts=PTS-STARTPTS,split=" + rungs.size() + splits + graph,
                    jobDir, deadline, stopRequested);
        }
        List<RungQuality> report = new ArrayList<>();
        for (int r = 0; r < rungs.size(); r++) {
            List<Double> ssims = new ArrayList<>();
            List<Double> mses = new ArrayList<>();
            for (int i = r; i < ssimLogs.size(); i += rungs.size()) {
                ssims.addAll(values(ssimLogs.get(i), SSIM_ALL));
                mses.addAll(values(psnrLogs.get(i), PSNR_MSE));
            }
            if (ssims.isEmpty() || mses.isEmpty()) {
                throw new IllegalStateException("no frame of rung " + rungs.get(r).name() + " could be compared");
            }
            double mse = mses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double psnr = mse == 0 ? PSNR_IDENTICAL : Math.min(PSNR_IDENTICAL, 10 * Math.log10(255 * 255 / mse));
            report.add(new RungQuality(rungs.get(r).name(),
                    ssims.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), psnr, ssims.size()));
        }
        return report;
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

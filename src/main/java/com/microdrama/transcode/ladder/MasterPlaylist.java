package com.microdrama.transcode.ladder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what ffmpeg wrote and writes our own master playlist: ffmpeg's lacks AVERAGE-BANDWIDTH and FRAME-RATE,
 * and its BANDWIDTH is the configured rate, not the measured peak that players need to pick a rung honestly.
 */
public final class MasterPlaylist {

    private static final Pattern CODECS = Pattern.compile("CODECS=\"([^\"]+)\"");

    private MasterPlaylist() {
    }

    /** Reads each rung's media playlist and segment sizes from {@code outDir/<rung>/}. */
    public static List<RenditionStats> measure(Path outDir, List<PlannedRung> rungs, double frameRate) {
        String ffmpegMaster = read(outDir.resolve("ffmpeg-master.m3u8"));
        List<RenditionStats> stats = new ArrayList<>();
        for (PlannedRung rung : rungs) {
            String playlistPath = rung.name() + "/index.m3u8";
            Bitrates measured = bitrates(outDir.resolve(rung.name()));
            stats.add(new RenditionStats(rung, measured.peak(), measured.average(),
                    codecsOf(ffmpegMaster, playlistPath), frameRate, playlistPath));
        }
        return stats;
    }

    /** Measured peak (the largest segment's) and average bitrate of one rendition, bits per second. */
    public record Bitrates(int peak, int average) {
    }

    /** Reads {@code dir/index.m3u8} and the sizes of the segments it lists. */
    public static Bitrates bitrates(Path dir) {
        double totalSeconds = 0;
        long totalBytes = 0;
        double peak = 0;
        for (MediaPlaylist.Segment segment : MediaPlaylist.read(dir.resolve("index.m3u8")).segments()) {
            long bytes = size(segment.file());
            totalBytes += bytes;
            totalSeconds += segment.duration();
            peak = Math.max(peak, bytes * 8 / segment.duration());
        }
        if (totalSeconds == 0) {
            throw new IllegalStateException("rendition " + dir.getFileName() + " has no segments");
        }
        return new Bitrates((int) Math.ceil(peak), (int) Math.ceil(totalBytes * 8 / totalSeconds));
    }

    public static String render(List<RenditionStats> renditions) {
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (RenditionStats r : renditions) {
            m3u8.append(String.format(Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"%s\",FRAME-RATE=%.3f\n%s\n",
                    r.bandwidth(), r.averageBandwidth(), r.rung().width(), r.rung().height(), r.codecs(),
                    r.frameRate(), r.playlistPath()));
        }
        return m3u8.toString();
    }

    private static String codecsOf(String ffmpegMaster, String playlistPath) {
        String[] lines = ffmpegMaster.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].strip().equals(playlistPath)) {
                Matcher codecs = CODECS.matcher(lines[i - 1]);
                if (codecs.find()) {
                    return codecs.group(1);
                }
            }
        }
        throw new IllegalStateException("ffmpeg's master playlist does not describe " + playlistPath);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package com.microdrama.transcode.ladder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A media playlist ffmpeg wrote: its segments in order, where each starts, and the AES IV it names (if any). */
public record MediaPlaylist(List<Segment> segments, Optional<byte[]> iv) {

    private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),");
    private static final Pattern IV = Pattern.compile("^#EXT-X-KEY:.*IV=0[xX]([0-9a-fA-F]{32})");

    /** One segment: its file next to the playlist, its start on the timeline and its duration, in seconds. */
    public record Segment(Path file, double start, double duration) {
    }

    public static MediaPlaylist read(Path playlist) {
        String text;
        try {
            text = Files.readString(playlist);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Segment> segments = new ArrayList<>();
        Optional<byte[]> iv = Optional.empty();
        double start = 0;
        double pendingDuration = -1;
        for (String line : text.split("\n")) {
            Matcher inf = EXTINF.matcher(line);
            Matcher key = IV.matcher(line);
            if (inf.find()) {
                pendingDuration = Double.parseDouble(inf.group(1));
            } else if (key.find()) {
                iv = Optional.of(HexFormat.of().parseHex(key.group(1)));
            } else if (!line.isBlank() && !line.startsWith("#") && pendingDuration > 0) {
                segments.add(new Segment(playlist.resolveSibling(line.strip()), start, pendingDuration));
                start += pendingDuration;
                pendingDuration = -1;
            }
        }
        return new MediaPlaylist(List.copyOf(segments), iv);
    }
}

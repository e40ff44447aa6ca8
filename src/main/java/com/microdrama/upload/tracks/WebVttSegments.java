package com.microdrama.upload.tracks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts cues into WebVTT segments that line up one for one with the video's segments, and writes their media
 * playlist. A cue spanning a boundary is repeated in each segment it overlaps (players drop the duplicate). Cue times
 * stay the episode's own: {@code X-TIMESTAMP-MAP} ties LOCAL 0 to the video's first presentation timestamp, so every
 * segment maps the same way.
 */
public final class WebVttSegments {

    private WebVttSegments() {
    }

    public record Segmented(List<String> segments, String playlist) {
    }

    /** {@code segmentSeconds}: the video playlist's EXTINF durations, in order; {@code mpegts}: its first PTS. */
    public static Segmented cut(List<Cue> cues, List<Double> segmentSeconds, int targetDuration, long mpegts) {
        List<String> segments = new ArrayList<>();
        StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:")
                .append(targetDuration).append("\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        double from = 0;
        for (int i = 0; i < segmentSeconds.size(); i++) {
            double to = from + segmentSeconds.get(i);
            // The last segment takes whatever ends after the rounded durations add up.
            long fromMs = Math.round(from * 1000);
            long toMs = i == segmentSeconds.size() - 1 ? Long.MAX_VALUE : Math.round(to * 1000);
            StringBuilder vtt = new StringBuilder("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:").append(mpegts)
                    .append(",LOCAL:00:00:00.000\n");
            for (Cue cue : cues) {
                if (cue.startMs() < toMs && cue.endMs() > fromMs) {
                    vtt.append('\n');
                    if (cue.id() != null) {
                        vtt.append(cue.id()).append('\n');
                    }
                    vtt.append(SubtitleParser.clock(cue.startMs())).append(" --> ").append(SubtitleParser.clock(cue.endMs()));
                    if (!cue.settings().isEmpty()) {
                        vtt.append(' ').append(cue.settings());
                    }
                    vtt.append('\n').append(cue.text()).append('\n');
                }
            }
            segments.add(vtt.toString());
            playlist.append(String.format(Locale.ROOT, "#EXTINF:%.6f,\n", segmentSeconds.get(i)))
                    .append(name(i)).append('\n');
            from = to;
        }
        playlist.append("#EXT-X-ENDLIST\n");
        return new Segmented(segments, playlist.toString());
    }

    public static String name(int index) {
        return String.format(Locale.ROOT, "seg_%04d.vtt", index);
    }
}

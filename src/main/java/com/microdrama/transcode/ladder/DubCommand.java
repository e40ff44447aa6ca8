package com.microdrama.transcode.ladder;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A dub: the source's first audio stream, and nothing else decoded, as one AAC rendition in MPEG-TS segments of the
 * ladder's length, encrypted like the ladder. Padded with silence or cut to the episode's duration so that its
 * segments end where the video's do.
 */
public record DubCommand(double episodeSeconds, int segmentSeconds, int audioBitrate) {

    /**
     * Cut an AAC frame (21.3 ms at 48 kHz) short of the episode's end: AAC frames do not end on segment boundaries,
     * and a last frame starting on the video's final boundary would open a segment of its own, one more than the
     * video has.
     */
    private static final double END_MARGIN_SECONDS = 0.025;

    public List<String> outputArguments(Path outDir, Path keyInfoFile) {
        String duration = String.format(Locale.ROOT, "%.3f", Math.max(0.1, episodeSeconds - END_MARGIN_SECONDS));
        return List.of(
                "-map", "0:a:0", "-vn", "-sn", "-dn",
                "-c:a", "aac", "-b:a", String.valueOf(audioBitrate), "-ac", "2", "-ar", "48000",
                "-af", "apad=whole_dur=" + duration, "-t", duration,
                "-f", "hls",
                "-hls_time", String.valueOf(segmentSeconds),
                "-hls_playlist_type", "vod",
                "-hls_segment_type", "mpegts",
                "-hls_flags", "independent_segments",
                "-hls_key_info_file", keyInfoFile.toString(),
                "-hls_segment_filename", outDir.resolve("seg_%04d.ts").toString());
    }
}

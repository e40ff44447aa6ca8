package com.microdrama.transcode.ladder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The single-pass ladder: one ffmpeg process decodes the source once, splits the frames, scales each branch and
 * runs one x264 encode per rung. A fixed GOP of exactly one segment with scene-cut keyframes off makes every
 * segment start on a keyframe at the same instant in every rung, so players switch rungs cleanly. Each rung's rate
 * control (fixed bitrate or capped constant quality) changes only how many bits a frame gets, never where keyframes
 * fall, so per-title rungs stay aligned the same way. {@code referenceFrames}, when present, is a {@code select}
 * expression over the output frames: each rung's own encoder input for those frames is also written out (see
 * {@link #referenceArguments}) for the quality report.
 */
public record LadderCommand(List<PlannedRung> rungs, double frameRate, boolean audio, int segmentSeconds,
                            String x264Preset, int audioBitrate, int posterFrame, Optional<String> referenceFrames) {

    /** The poster (720×1280) and the thumbnail (180×320) from one frame, letterboxed: {@code [p]} and {@code [t]} in. */
    public static final String POSTER_SCALES =
            "[p]scale=720:1280:force_original_aspect_ratio=decrease,pad=720:1280:(ow-iw)/2:(oh-ih)/2[po];"
            + "[t]scale=180:320:force_original_aspect_ratio=decrease,pad=180:320:(ow-iw)/2:(oh-ih)/2[th]";

    /** No poster branch: the poster comes from a run of its own. */
    public static final int NO_POSTER = -1;

    public LadderCommand(List<PlannedRung> rungs, double frameRate, boolean audio, int segmentSeconds,
                         String x264Preset, int audioBitrate, int posterFrame) {
        this(rungs, frameRate, audio, segmentSeconds, x264Preset, audioBitrate, posterFrame, Optional.empty());
    }

    /**
     * Audio starts exactly where the video does. The AAC encoder puts {@value #AAC_PRIMING_SAMPLES} priming samples
     * before the first real one (an MP4 hides them with an edit list; MPEG-TS has none), so without this the first
     * segment's audio began 21 ms before its video and hls.js skipped a hole at the start (bufferSeekOverHole).
     * {@code first_pts=0} pads or trims a source whose audio starts late or early; the trim then drops what the
     * priming will stand in for, keeping audio and video in sync to the sample.
     */
    static final int AAC_PRIMING_SAMPLES = 1024;
    static final String CLEAN_AUDIO_START = "aresample=48000:first_pts=0,atrim=start_sample=" + AAC_PRIMING_SAMPLES;

    /** Output frame rate: the source's, capped at 30 fps (vertical short drama gains nothing above it). */
    public static double outputFrameRate(double sourceFrameRate) {
        if (sourceFrameRate <= 0 || Double.isNaN(sourceFrameRate)) {
            return 30;
        }
        return Math.min(30, sourceFrameRate);
    }

    /** The output frame to make the poster of, counted from 0 at the output frame rate, at {@code atSeconds}. */
    public static int posterFrame(double atSeconds, double frameRate) {
        return (int) Math.floor(Math.max(0, atSeconds) * frameRate + 1e-9);
    }

    /**
     * The decoded frames split once per rung, each branch scaled to its rung ({@code [v<i>]}), and, with a poster
     * frame, one more branch keeping only that frame for the poster ({@code [po]}) and the thumbnail ({@code [th]}):
     * the poster costs no second decode of the source.
     */
    public String filterGraph() {
        int n = rungs.size();
        int branches = posterFrame >= 0 ? n + 1 : n;
        String splits = IntStream.range(0, branches).mapToObj(i -> "[s" + i + "]").collect(Collectors.joining());
        StringBuilder graph = new StringBuilder("[0:v]fps=" + fps() + ",split=" + branches + splits);
        for (int i = 0; i < n; i++) {
            PlannedRung r = rungs.get(i);
            graph.append(";[s").append(i).append(']').append(r.fitFilter());
            if (referenceFrames.isPresent()) {
                graph.append(",split[v").append(i).append("][t").append(i).append("];[t").append(i)
                        .append("]select='").append(referenceFrames.get()).append("'[q").append(i).append(']');
            } else {
                graph.append("[v").append(i).append(']');
            }
        }
        if (posterFrame >= 0) {
            graph.append(";[s").append(n).append("]trim=start_frame=").append(posterFrame)
                    .append(":end_frame=").append(posterFrame + 1).append(",split=2[p][t];").append(POSTER_SCALES);
        }
        return graph.toString();
    }

    /** Output options writing rung {@code i}'s reference frames: raw yuv420p, as its encoder gets them. */
    public List<String> referenceArguments(int i) {
        // Passthrough: the raw muxer has no timestamps, and ffmpeg would otherwise repeat frames to fill the gaps.
        return List.of("-map", "[q" + i + "]", "-c:v", "rawvideo", "-pix_fmt", "yuv420p", "-fps_mode", "passthrough",
                "-f", "rawvideo");
    }

    /** Output options for the HLS muxer, writing {@code <outDir>/<rung>/index.m3u8} and its segments. */
    public List<String> outputArguments(Path outDir, Path keyInfoFile) {
        int gop = (int) Math.round(frameRate * segmentSeconds);
        List<String> args = new ArrayList<>();
        List<String> streamMap = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            PlannedRung r = rungs.get(i);
            args.addAll(List.of("-map", "[v" + i + "]"));
            args.addAll(List.of("-c:v:" + i, "libx264"));
            args.addAll(r.rate().arguments(i));
            streamMap.add(audio ? "v:" + i + ",a:" + i + ",name:" + r.name() : "v:" + i + ",name:" + r.name());
        }
        if (audio) {
            for (int i = 0; i < rungs.size(); i++) {
                args.addAll(List.of("-map", "0:a:0"));
            }
            args.addAll(List.of("-filter:a", CLEAN_AUDIO_START,
                    "-c:a", "aac", "-b:a", String.valueOf(audioBitrate), "-ac", "2", "-ar", "48000"));
        }
        args.addAll(List.of(
                "-preset", x264Preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
                "-g", String.valueOf(gop), "-keyint_min", String.valueOf(gop), "-sc_threshold", "0",
                "-force_key_frames", "expr:gte(t,n_forced*" + segmentSeconds + ")",
                "-f", "hls",
                "-hls_time", String.valueOf(segmentSeconds),
                "-hls_playlist_type", "vod",
                "-hls_segment_type", "mpegts",
                "-hls_flags", "independent_segments",
                "-hls_key_info_file", keyInfoFile.toString(),
                "-hls_segment_filename", outDir.resolve("%v").resolve("seg_%04d.ts").toString(),
                "-master_pl_name", "ffmpeg-master.m3u8",
                "-var_stream_map", String.join(" ", streamMap)));
        return args;
    }

    private String fps() {
        return frameRate == Math.rint(frameRate) ? String.valueOf((int) frameRate) : String.valueOf(frameRate);
    }
}

package com.microdrama.transcode.ladder;

import java.util.List;

/** One rendition to produce: its frame size and how its bits are chosen. */
public record PlannedRung(String name, int width, int height, VideoRate rate) {

    /** The x264 rate control of one rung, as ffmpeg arguments for output video stream {@code index}. */
    public sealed interface VideoRate {
        List<String> arguments(int index);

        /** As the quality report names it: {@code fixed} or {@code per-title}. */
        String label();
    }

    /** The fixed ladder: an average bitrate, peaks kept within 10 % above it over a two-second buffer. */
    public record FixedBitrate(int bitrate) implements VideoRate {
        @Override
        public List<String> arguments(int i) {
            return List.of("-b:v:" + i, String.valueOf(bitrate), "-maxrate:v:" + i, String.valueOf(bitrate + bitrate / 10),
                    "-bufsize:v:" + i, String.valueOf(bitrate * 2));
        }

        @Override
        public String label() {
            return "fixed";
        }
    }

    /**
     * Per-title: constant quality (CRF) under a cap. The one-second VBV buffer keeps every two-second segment near
     * the cap even on a picture that would want far more, so the measured BANDWIDTH stays close to it.
     */
    public record CappedQuality(double crf, int maxBitrate) implements VideoRate {
        @Override
        public List<String> arguments(int i) {
            return List.of("-crf:v:" + i, String.valueOf(crf), "-maxrate:v:" + i, String.valueOf(maxBitrate),
                    "-bufsize:v:" + i, String.valueOf(maxBitrate));
        }

        @Override
        public String label() {
            return "per-title";
        }
    }

    /** The scale-and-pad chain that fits a picture into this rung's frame, letterboxed, square pixels. */
    public String fitFilter() {
        return "scale=" + width + ':' + height + ":force_original_aspect_ratio=decrease,pad=" + width + ':' + height
                + ":(ow-iw)/2:(oh-ih)/2,setsar=1";
    }
}

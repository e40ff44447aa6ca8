package com.microdrama.transcode.ladder;

import com.microdrama.transcode.TranscodeConfig;
import com.microdrama.transcode.TranscodeConfig.RateControl;
import java.util.List;

/** Which rungs a source gets: never one taller or wider than the source itself (no upscaling). */
public final class LadderPlanner {

    private static final int MIN_BITRATE = 100_000;

    private LadderPlanner() {
    }

    /**
     * @param width  the source's displayed width (rotation applied)
     * @param height the source's displayed height
     */
    public static List<PlannedRung> plan(List<TranscodeConfig.Rung> ladder, RateControl rateControl, int width,
                                         int height) {
        List<PlannedRung> kept = ladder.stream()
                .filter(r -> r.width() <= width && r.height() <= height)
                .map(r -> new PlannedRung(r.name(), r.width(), r.height(), rate(rateControl, r, 1)))
                .toList();
        if (!kept.isEmpty()) {
            return kept;
        }
        // Smaller than the smallest rung: the source's own size is the only rung, at bitrates scaled by area.
        TranscodeConfig.Rung smallest = ladder.get(ladder.size() - 1);
        int evenWidth = width & ~1;
        int evenHeight = height & ~1;
        double area = (double) evenWidth * evenHeight / ((double) smallest.width() * smallest.height());
        return List.of(new PlannedRung(evenHeight + "p", evenWidth, evenHeight, rate(rateControl, smallest, area)));
    }

    private static PlannedRung.VideoRate rate(RateControl rateControl, TranscodeConfig.Rung rung, double scale) {
        return switch (rateControl) {
            case FIXED -> new PlannedRung.FixedBitrate(scaled(rung.bitrate(), scale));
            case PER_TITLE -> new PlannedRung.CappedQuality(rung.crf(), scaled(rung.maxBitrate(), scale));
        };
    }

    private static int scaled(int bitrate, double scale) {
        return scale == 1 ? bitrate : Math.max(MIN_BITRATE, (int) (bitrate * scale));
    }
}

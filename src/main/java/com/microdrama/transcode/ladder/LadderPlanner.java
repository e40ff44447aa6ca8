package com.microdrama.transcode.ladder;

import com.microdrama.transcode.TranscodeConfig;
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
    public static List<PlannedRung> plan(List<TranscodeConfig.Rung> ladder, int width, int height) {
        List<PlannedRung> kept = ladder.stream()
                .filter(r -> r.width() <= width && r.height() <= height)
                .map(r -> new PlannedRung(r.name(), r.width(), r.height(), r.bitrate()))
                .toList();
        if (!kept.isEmpty()) {
            return kept;
        }
        // Smaller than the smallest rung: the source's own size is the only rung, at a bitrate scaled by area.
        TranscodeConfig.Rung smallest = ladder.get(ladder.size() - 1);
        int evenWidth = width & ~1;
        int evenHeight = height & ~1;
        double area = (double) evenWidth * evenHeight / ((double) smallest.width() * smallest.height());
        int bitrate = Math.max(MIN_BITRATE, (int) (smallest.bitrate() * area));
        return List.of(new PlannedRung(evenHeight + "p", evenWidth, evenHeight, bitrate));
    }
}

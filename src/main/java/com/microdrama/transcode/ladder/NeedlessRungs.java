package com.microdrama.transcode.ladder;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Optional rung dropping, after the encode: a rung whose measured average bitrate is at least {@code ratio} of the
 * last kept rung above it is left out of the version. The bigger picture then costs hardly more, so a player that
 * can fetch the smaller rung can fetch the bigger one; the smaller rung would only be stored and never help.
 */
public final class NeedlessRungs {

    private NeedlessRungs() {
    }

    /** The renditions to publish, tallest first; all of them when {@code ratio} is empty (the default). */
    public static List<RenditionStats> kept(List<RenditionStats> tallestFirst, OptionalDouble ratio) {
        if (ratio.isEmpty() || tallestFirst.isEmpty()) {
            return tallestFirst;
        }
        List<RenditionStats> kept = new ArrayList<>(List.of(tallestFirst.get(0)));
        for (RenditionStats rung : tallestFirst.subList(1, tallestFirst.size())) {
            RenditionStats above = kept.get(kept.size() - 1);
            if (rung.averageBandwidth() < ratio.getAsDouble() * above.averageBandwidth()) {
                kept.add(rung);
            }
        }
        return List.copyOf(kept);
    }
}

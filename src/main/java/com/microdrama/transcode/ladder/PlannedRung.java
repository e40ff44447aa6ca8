package com.microdrama.transcode.ladder;

/** One rendition to produce: its frame size and its bitrate caps (maxrate/bufsize keep peaks bounded). */
public record PlannedRung(String name, int width, int height, int bitrate) {

    public int maxrate() {
        return bitrate + bitrate / 10;
    }

    public int bufsize() {
        return bitrate * 2;
    }
}

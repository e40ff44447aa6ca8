package com.microdrama.core.media;

import java.util.OptionalLong;

/** Reads what subtitles need of an MPEG-TS segment without a process: the first presentation timestamp. */
public final class TransportStreams {

    private static final int PACKET = 188;

    private TransportStreams() {
    }

    /**
     * The smallest PTS (90 kHz) among the PES packets that start in this segment, as HLS players take it for the
     * stream's start; empty when there is none.
     */
    public static OptionalLong firstPts(byte[] ts) {
        long min = Long.MAX_VALUE;
        for (int at = 0; at + PACKET <= ts.length; at += PACKET) {
            if ((ts[at] & 0xff) != 0x47 || (ts[at + 1] & 0x40) == 0) {
                continue;  // not synced, or no payload unit starts here
            }
            int adaptation = (ts[at + 3] >> 4) & 0x3;
            int payload = at + 4;
            if (adaptation == 2) {
                continue;
            }
            if (adaptation == 3) {
                payload += 1 + (ts[at + 4] & 0xff);
            }
            if (payload + 14 > at + PACKET || ts[payload] != 0 || ts[payload + 1] != 0 || ts[payload + 2] != 1) {
                continue;  // a section (PAT, PMT), not a PES
            }
            int streamId = ts[payload + 3] & 0xff;
            boolean hasPts = (ts[payload + 7] & 0x80) != 0;
            if (streamId < 0xC0 || !hasPts) {
                continue;
            }
            int p = payload + 9;
            long pts = ((long) (ts[p] & 0x0E) << 29) | ((ts[p + 1] & 0xFFL) << 22) | ((ts[p + 2] & 0xFEL) << 14)
                    | ((ts[p + 3] & 0xFFL) << 7) | ((ts[p + 4] & 0xFEL) >> 1);
            min = Math.min(min, pts);
        }
        return min == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(min);
    }
}

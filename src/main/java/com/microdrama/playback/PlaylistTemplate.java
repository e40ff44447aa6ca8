package com.microdrama.playback;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cached playlist, already encoded, cut where the playback token goes. Rendering copies bytes into one array:
 * no scanning, no re-encoding per request — this path is hit by every player every few seconds.
 */
public final class PlaylistTemplate {

    static final String TOKEN = "{token}";

    private final List<byte[]> parts;
    private final int fixedLength;

    PlaylistTemplate(String text) {
        this.parts = new ArrayList<>();
        int from = 0;
        for (int at = text.indexOf(TOKEN); at >= 0; at = text.indexOf(TOKEN, from)) {
            parts.add(text.substring(from, at).getBytes(StandardCharsets.UTF_8));
            from = at + TOKEN.length();
        }
        parts.add(text.substring(from).getBytes(StandardCharsets.UTF_8));
        this.fixedLength = parts.stream().mapToInt(p -> p.length).sum();
    }

    public byte[] render(String token) {
        byte[] tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[fixedLength + tokenBytes.length * (parts.size() - 1)];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                System.arraycopy(tokenBytes, 0, out, at, tokenBytes.length);
                at += tokenBytes.length;
            }
            byte[] part = parts.get(i);
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}

package com.microdrama.playback;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cached playlist, already encoded, cut where the playback token goes. A response is the cached parts and the
 * token chained together, not copied: this path is hit by every player every few seconds, and a media playlist
 * with signed segment URLs is over 10 KB.
 */
public final class PlaylistTemplate {

    static final String TOKEN = "{token}";

    /** Shared by every response: read-only views that no response can release or move. */
    private final ByteBuf[] parts;

    PlaylistTemplate(String text) {
        List<ByteBuf> cut = new ArrayList<>();
        int from = 0;
        for (int at = text.indexOf(TOKEN); at >= 0; at = text.indexOf(TOKEN, from)) {
            cut.add(shared(text.substring(from, at)));
            from = at + TOKEN.length();
        }
        cut.add(shared(text.substring(from)));
        this.parts = cut.toArray(ByteBuf[]::new);
    }

    private static ByteBuf shared(String part) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(part.getBytes(StandardCharsets.UTF_8)).asReadOnly());
    }

    public Buffer render(String token) {
        if (parts.length == 1) {
            return Buffer.buffer(parts[0].duplicate());
        }
        ByteBuf tokenBytes = Unpooled.wrappedBuffer(token.getBytes(StandardCharsets.US_ASCII));
        CompositeByteBuf out = Unpooled.compositeBuffer(parts.length * 2 - 1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.addComponent(true, tokenBytes.retainedDuplicate());
            }
            out.addComponent(true, parts[i].duplicate());
        }
        tokenBytes.release();
        return Buffer.buffer(out);
    }
}

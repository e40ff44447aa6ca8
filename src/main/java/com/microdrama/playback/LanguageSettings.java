package com.microdrama.playback;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.core.i18n.Languages;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Arrays;

/**
 * A viewer's preferred audio and subtitle languages ({@code viewer_language}); null means none. Every playback start
 * reads them, so they are kept in memory for a short while (see {@link PlaybackConfig#languageCacheTtl()}).
 */
@ApplicationScoped
public class LanguageSettings {

    public record Preferred(@Schema(nullable = true) String audio, @Schema(nullable = true) String subtitles) {
    }

    private final Pool pool;
    /** Null when the TTL is 0. */
    private final Cache<String, Preferred> recent;

    LanguageSettings(Pool pool, PlaybackConfig config) {
        this.pool = pool;
        Duration ttl = config.languageCacheTtl();
        this.recent = ttl.isZero() ? null : Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(ttl).build();
    }

    /** From memory when read or saved here within {@code playback.language-cache-ttl}, else from PostgreSQL. */
    public Uni<Preferred> of(String viewerId) {
        Preferred known = recent == null ? null : recent.getIfPresent(viewerId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return read(viewerId).invoke(found -> {
            if (recent != null) {
                recent.asMap().putIfAbsent(viewerId, found);
            }
        });
    }

    private Uni<Preferred> read(String viewerId) {
        return pool.preparedQuery("select audio_language, subtitle_language from viewer_language where viewer_id = $1")
                .execute(Tuple.of(viewerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new Preferred(null, null);
                    }
                    Row r = rows.iterator().next();
                    return new Preferred(r.getString("audio_language"), r.getString("subtitle_language"));
                });
    }

    /** Replaces both preferences (a null clears one); tags are stored canonical. */
    public Uni<Preferred> save(String viewerId, String audio, String subtitles) {
        Preferred wanted = new Preferred(audio == null ? null : Languages.normalise("audio", audio),
                subtitles == null ? null : Languages.normalise("subtitles", subtitles));
        return pool.preparedQuery("""
                        insert into viewer_language (viewer_id, audio_language, subtitle_language) values ($1, $2, $3)
                        on conflict (viewer_id) do update set audio_language = excluded.audio_language,
                            subtitle_language = excluded.subtitle_language, updated_at = now()
                        """).execute(Tuple.from(Arrays.asList(viewerId, wanted.audio(), wanted.subtitles())))
                .replaceWith(wanted)
                .invoke(saved -> {
                    if (recent != null) {
                        recent.put(viewerId, saved);
                    }
                });
    }
}

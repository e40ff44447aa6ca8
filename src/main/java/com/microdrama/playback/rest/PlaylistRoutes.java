package com.microdrama.playback.rest;

import com.microdrama.core.config.AppConfig;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.error.ProblemWriter;
import com.microdrama.playback.PlayCounter;
import com.microdrama.core.i18n.Languages;
import com.microdrama.playback.PlaybackToken;
import com.microdrama.playback.PlaylistService;
import com.microdrama.playback.PlaylistTemplate;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What an HLS player fetches after the playback call: playlists and the segment key. The playback token in the
 * query string is the only credential (players cannot send bearer headers to every URL of a stream).
 * <p>
 * These are plain Vert.x routes, the one place the API is not a JAX-RS resource: every player asks for a playlist
 * every few seconds, and the REST layer (content negotiation, security interceptors, per-request context) cost
 * more than the work itself. Nothing here needs it: the token is verified by hand, the bytes come from a cache,
 * and errors are the same problem+json documents as everywhere else. Documented in META-INF/openapi.yaml.
 */
@ApplicationScoped
public class PlaylistRoutes {

    static final String HLS = "application/vnd.apple.mpegurl";
    // Encoded and validated once rather than on every response.
    private static final CharSequence HLS_TYPE = HttpHeaders.createOptimized(HLS);
    private static final CharSequence PLAYLIST_CACHING = HttpHeaders.createOptimized("private, max-age=60");
    private static final CharSequence KEY_TYPE = HttpHeaders.createOptimized("application/octet-stream");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("private, no-store");
    /**
     * Before Quarkus' HTTP authentication and authorization handlers (orders -200 and -100): these routes are
     * authorised by the playback token alone, so those handlers would find nothing to do here, yet they cost about
     * a third of a request's time on this path (measured: a constant body served at default order 77k req/s,
     * before them 107k req/s, nginx 123k).
     */
    static final int ORDER = -250;
    /** A video rung (360p) or a subtitle or dub directory (s-/a- and its track id). */
    private static final Pattern RUNG = Pattern.compile("[0-9]{3,4}p|[as]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final PlaybackToken tokens;
    private final PlaylistService playlists;
    private final ProblemWriter problems;
    private final AppConfig app;
    private final PlayCounter plays;

    PlaylistRoutes(PlaybackToken tokens, PlaylistService playlists, ProblemWriter problems, AppConfig app,
                   PlayCounter plays) {
        this.tokens = tokens;
        this.playlists = playlists;
        this.problems = problems;
        this.app = app;
        this.plays = plays;
    }

    void install(@Observes Router router) {
        if (!app.role().servesApi()) {
            return;
        }
        router.get("/api/v1/playback/keys/:version").order(ORDER).handler(ctx -> answer(ctx, version -> {
            tokens.verify(token(ctx), version);
            return Reply.later(playlists.key(version)
                    .map(key -> new Body(Buffer.buffer(key), KEY_TYPE, NO_STORE)));
        }));
        router.get("/api/v1/playback/:version/master.m3u8").order(ORDER).handler(ctx -> answer(ctx, version -> {
            String token = token(ctx);
            var grant = tokens.verify(token, version);
            plays.opened(grant.viewerId(), grant.episodeId());
            return Reply.later(playlists.master(grant.episodeId(), version, language(ctx, "audio"),
                    language(ctx, "subtitles")).map(template -> playlist(template.render(token))));
        }));
        router.get("/api/v1/playback/:version/:rung/index.m3u8").order(ORDER).handler(ctx -> answer(ctx, version -> {
            String rung = ctx.pathParam("rung");
            if (!RUNG.matcher(rung).matches()) {
                throw ApiException.badRequest("rung", "is not a rendition name");
            }
            String token = token(ctx);
            var grant = tokens.verify(token, version);
            plays.opened(grant.viewerId(), grant.episodeId());
            PlaylistTemplate cached = playlists.cachedMedia(grant.episodeId(), version, rung);
            return cached != null ? Reply.now(playlist(cached.render(token))) : Reply.later(
                    playlists.media(grant.episodeId(), version, rung).map(template -> playlist(template.render(token))));
        }));
    }

    private record Body(Buffer bytes, CharSequence contentType, CharSequence cacheControl) {
    }

    /** A body at hand (a cache hit, answered without the Uni machinery) or one still to come. */
    private record Reply(Body now, Uni<Body> later) {
        static Reply now(Body body) {
            return new Reply(body, null);
        }

        static Reply later(Uni<Body> body) {
            return new Reply(null, body);
        }
    }

    private static Body playlist(Buffer bytes) {
        return new Body(bytes, HLS_TYPE, PLAYLIST_CACHING);
    }

    private void answer(RoutingContext ctx, Function<UUID, Reply> handler) {
        Reply reply;
        try {
            reply = handler.apply(version(ctx.pathParam("version")));
        } catch (RuntimeException e) {
            problems.fail(ctx, e);
            return;
        }
        if (reply.now() != null) {
            send(ctx, reply.now());
        } else {
            reply.later().subscribe().with(body -> send(ctx, body), e -> problems.fail(ctx, e));
        }
    }

    private static void send(RoutingContext ctx, Body body) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, body.contentType())
                .putHeader(HttpHeaders.CACHE_CONTROL, body.cacheControl())
                .end(body.bytes());
    }

    /**
     * The token query parameter. Tokens are base64url and '.', which need no decoding; a query holding escapes
     * goes through the full decoder.
     */
    private static String token(RoutingContext ctx) {
        String query = ctx.request().query();
        if (query == null || query.indexOf('%') >= 0 || query.indexOf('+') >= 0) {
            return ctx.queryParams().get("token");
        }
        int at = 0;
        if (!query.startsWith("token=")) {
            at = query.indexOf("&token=") + 1;
            if (at == 0) {
                return null;
            }
        }
        int from = at + "token=".length();
        int end = query.indexOf('&', from);
        return query.substring(from, end < 0 ? query.length() : end);
    }

    /** A viewer's preferred audio or subtitle language in the master's query, as the playback answer put it. */
    private static String language(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        return value == null || value.isBlank() ? null : Languages.normalise(name, value);
    }

    private static UUID version(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("version", "is not an episode version id");
        }
    }
}

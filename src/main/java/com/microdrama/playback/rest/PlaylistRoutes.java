package com.microdrama.playback.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microdrama.core.config.AppConfig;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.error.Problem;
import com.microdrama.core.error.ProblemMapper;
import com.microdrama.playback.PlaybackToken;
import com.microdrama.playback.PlaylistService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
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
    private static final Pattern RUNG = Pattern.compile("[0-9]{3,4}p");

    private final PlaybackToken tokens;
    private final PlaylistService playlists;
    private final ObjectMapper json;
    private final AppConfig app;

    PlaylistRoutes(PlaybackToken tokens, PlaylistService playlists, ObjectMapper json, AppConfig app) {
        this.tokens = tokens;
        this.playlists = playlists;
        this.json = json;
        this.app = app;
    }

    void install(@Observes Router router) {
        if (!app.role().servesApi()) {
            return;
        }
        router.get("/api/v1/playback/keys/:version").handler(ctx -> answer(ctx, version -> {
            tokens.verify(ctx.queryParams().get("token"), version);
            return playlists.key(version).map(key -> new Body(key, "application/octet-stream", "private, no-store"));
        }));
        router.get("/api/v1/playback/:version/master.m3u8").handler(ctx -> answer(ctx, version -> {
            String token = ctx.queryParams().get("token");
            var grant = tokens.verify(token, version);
            return playlists.master(grant.episodeId(), version).map(template -> playlist(template.render(token)));
        }));
        router.get("/api/v1/playback/:version/:rung/index.m3u8").handler(ctx -> answer(ctx, version -> {
            String rung = ctx.pathParam("rung");
            if (!RUNG.matcher(rung).matches()) {
                throw ApiException.badRequest("rung", "is not a rendition name");
            }
            String token = ctx.queryParams().get("token");
            var grant = tokens.verify(token, version);
            return playlists.media(grant.episodeId(), version, rung).map(template -> playlist(template.render(token)));
        }));
    }

    private record Body(byte[] bytes, String contentType, String cacheControl) {
    }

    private static Body playlist(byte[] bytes) {
        return new Body(bytes, HLS, "private, max-age=60");
    }

    private void answer(RoutingContext ctx, Function<UUID, Uni<Body>> handler) {
        Uni<Body> body;
        try {
            body = handler.apply(version(ctx.pathParam("version")));
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        body.subscribe().with(b -> ctx.response()
                        .putHeader("Content-Type", b.contentType())
                        .putHeader("Cache-Control", b.cacheControl())
                        .end(Buffer.buffer(b.bytes())),
                e -> fail(ctx, e));
    }

    private static UUID version(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("version", "is not an episode version id");
        }
    }

    private void fail(RoutingContext ctx, Throwable e) {
        Problem problem = ProblemMapper.toProblem(e, ctx.request().path());
        try {
            ctx.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(problem)));
        } catch (JsonProcessingException never) {
            ctx.response().setStatusCode(problem.status()).end();
        }
    }
}

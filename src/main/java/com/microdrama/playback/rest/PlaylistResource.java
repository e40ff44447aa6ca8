package com.microdrama.playback.rest;

import com.microdrama.playback.PlaybackToken;
import com.microdrama.core.error.ApiException;
import com.microdrama.playback.PlaylistService;
import com.microdrama.playback.PlaylistTemplate;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * What an HLS player fetches after the playback call: playlists and the segment key. The playback token in the
 * query string is the only credential (players cannot send bearer headers to every URL of a stream).
 */
@Path("/api/v1/playback")
@PermitAll
public class PlaylistResource {

    static final String HLS = "application/vnd.apple.mpegurl";
    private static final java.util.regex.Pattern RUNG = java.util.regex.Pattern.compile("[0-9]{3,4}p");

    private final PlaybackToken tokens;
    private final PlaylistService playlists;

    PlaylistResource(PlaybackToken tokens, PlaylistService playlists) {
        this.tokens = tokens;
        this.playlists = playlists;
    }

    @GET
    @Path("/{version}/master.m3u8")
    public Uni<Response> master(@PathParam("version") UUID version, @QueryParam("token") String token) {
        var grant = tokens.verify(token, version);
        return playlists.master(grant.episodeId(), version).map(template -> playlist(template, token));
    }

    @GET
    @Path("/{version}/{rung}/index.m3u8")
    public Uni<Response> media(@PathParam("version") UUID version,
                               @PathParam("rung") String rung,
                               @QueryParam("token") String token) {
        // Checked by hand, not by Bean Validation: this is the hottest path of the API.
        if (!RUNG.matcher(rung).matches()) {
            throw ApiException.badRequest("rung", "is not a rendition name");
        }
        var grant = tokens.verify(token, version);
        return playlists.media(grant.episodeId(), version, rung).map(template -> playlist(template, token));
    }

    @GET
    @Path("/keys/{version}")
    public Uni<Response> key(@PathParam("version") UUID version, @QueryParam("token") String token) {
        tokens.verify(token, version);
        return playlists.key(version).map(key -> Response.ok(key, "application/octet-stream")
                .header("Cache-Control", "private, no-store").build());
    }

    private static Response playlist(PlaylistTemplate template, String token) {
        return Response.ok(template.render(token), HLS)
                .header("Cache-Control", "private, max-age=60").build();
    }
}

package com.microdrama.playback.rest;

import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.playback.PlaybackService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.validation.constraints.Size;
import com.microdrama.core.i18n.Languages;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/episodes/{id}/playback")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class PlaybackResource {

    private final PlaybackService playback;
    private final CurrentUser user;

    PlaybackResource(PlaybackService playback, CurrentUser user) {
        this.playback = playback;
        this.user = user;
    }

    @GET
    @Operation(operationId = "startPlayback", summary = "Play an episode: 402 with price and balance when locked, else a signed master playlist URL "
            + "and its audio and subtitle languages; ?audio= and ?subtitles= (BCP 47) choose the DEFAULT ones")
    @APIResponse(responseCode = "200", description = "Watchable: the signed master playlist URL", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlaybackService.Playback.class), examples = @ExampleObject(name = "example", value = """
            {"episodeId": "6f1c2d3e-0000-4000-8000-000000000001", "versionId": "2a4b6c8d-0000-4000-8000-00000000000a", "masterUrl": "/api/v1/playback/2a4b6c8d-0000-4000-8000-00000000000a/master.m3u8?token=eyJ2Ijo…", "expiresAt": "2026-11-26T06:00:00Z", "posterUrl": "/api/v1/episodes/6f1c2d3e-0000-4000-8000-000000000001/poster", "durationSeconds": 92.5, "access": "free", "next": {"id": "6f1c2d3e-0000-4000-8000-000000000002", "number": 2}, "audio": [{"language": "en", "name": "English", "isDefault": true}], "subtitles": []}""")))
    @APIResponse(responseCode = "402", description = "Locked for this viewer: price, balance and where to unlock", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "PaymentRequired"), examples = @ExampleObject(name = "locked", value = """
            {"type": "about:blank", "title": "Payment required", "status": 402, "detail": "episode 4 costs 30 coins and your balance is 10: unlock it with POST /api/v1/episodes/6f1c2d3e-0000-4000-8000-000000000004/unlock, top up, or get VIP", "instance": "/api/v1/episodes/6f1c2d3e-0000-4000-8000-000000000004/playback", "price": 30, "balance": 10, "unlockUrl": "/api/v1/episodes/6f1c2d3e-0000-4000-8000-000000000004/unlock"}""")))
    public Uni<PlaybackService.Playback> start(@PathParam("id") UUID episodeId,
                                               @QueryParam("audio") @Size(max = 35) String audio,
                                               @QueryParam("subtitles") @Size(max = 35) String subtitles) {
        return playback.start(user.id(), episodeId, audio == null ? null : Languages.normalise("audio", audio),
                subtitles == null ? null : Languages.normalise("subtitles", subtitles));
    }
}

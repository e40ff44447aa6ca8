package com.microdrama.playback.rest;

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
    @Operation(summary = "Play an episode: 402 with price and balance when locked, else a signed master playlist URL "
            + "and its audio and subtitle languages; ?audio= and ?subtitles= (BCP 47) choose the DEFAULT ones")
    public Uni<PlaybackService.Playback> start(@PathParam("id") UUID episodeId,
                                               @QueryParam("audio") @Size(max = 35) String audio,
                                               @QueryParam("subtitles") @Size(max = 35) String subtitles) {
        return playback.start(user.id(), episodeId, audio == null ? null : Languages.normalise("audio", audio),
                subtitles == null ? null : Languages.normalise("subtitles", subtitles));
    }
}

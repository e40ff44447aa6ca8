package com.microdrama.upload.rest;

import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.upload.tracks.SubtitleIntake;
import com.microdrama.upload.tracks.TrackView;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Subtitle and dubbed audio tracks of a producer's episode, one per language. Blocking boundary: storage and the
 * track's validation run on a worker thread.
 */
@Path("/api/v1/producer/series/{seriesId}/episodes/{number}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PRODUCER)
@Blocking
public class TrackResource {

    private final SubtitleIntake subtitles;
    private final CurrentUser user;

    TrackResource(SubtitleIntake subtitles, CurrentUser user) {
        this.subtitles = subtitles;
        this.user = user;
    }

    @PUT
    @Path("/subtitles/{language}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Add or replace the episode's subtitles in one language: a WebVTT or SRT file as the body "
            + "(UTF-8); live in the master at once, no video re-encode. 422 names the line and the problem")
    public TrackView putSubtitles(@PathParam("seriesId") UUID seriesId,
                                  @PathParam("number") @Min(1) @Max(10000) int number,
                                  @PathParam("language") @Size(max = 35) String language, byte[] body) {
        return subtitles.put(user.id(), seriesId, number, language, body == null ? new byte[0] : body);
    }

    @DELETE
    @Path("/subtitles/{language}")
    @Operation(summary = "Remove the episode's subtitles in one language")
    public void deleteSubtitles(@PathParam("seriesId") UUID seriesId,
                                @PathParam("number") @Min(1) @Max(10000) int number,
                                @PathParam("language") @Size(max = 35) String language) {
        subtitles.remove(user.id(), seriesId, number, language);
    }
}

package com.microdrama.upload.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.upload.tracks.DubIntake;
import com.microdrama.upload.tracks.SubtitleIntake;
import com.microdrama.upload.tracks.TrackRemoval;
import com.microdrama.catalogue.MediaTrack;
import com.microdrama.upload.tracks.TrackView;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
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

    /** Dubs may be whole videos: their route takes bodies up to upload.max-size (see SourceBodyLimit). */
    public static final String AUDIO_PATH_PATTERN = "^/api/v1/producer/series/[^/]+/episodes/[^/]+/audio/[^/]+/?$";

    private final SubtitleIntake subtitles;
    private final DubIntake dubs;
    private final TrackRemoval removal;
    private final CurrentUser user;

    TrackResource(SubtitleIntake subtitles, DubIntake dubs, TrackRemoval removal, CurrentUser user) {
        this.subtitles = subtitles;
        this.dubs = dubs;
        this.removal = removal;
        this.user = user;
    }

    @PUT
    @Path("/audio/{language}")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "putDubbedAudio", summary = "Add or replace the episode's dubbed audio in one language: an audio file or a video (its "
            + "audio is taken) as the body. Its duration must match the episode's; 202 with the audio-only job that "
            + "encodes it (no video re-encode); the dub goes live when the job succeeds")
    @APIResponse(responseCode = "202", description = "Accepted: the dub's audio-only job", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrackView.class)))
    @APIResponse(responseCode = "409", description = "The episode has no ready video yet")
    @APIResponse(responseCode = "422", description = "The audio is refused (the problem says why)")
    public Response putAudio(@PathParam("seriesId") UUID seriesId,
                             @PathParam("number") @Min(1) @Max(10000) int number,
                             @PathParam("language") @Size(max = 35) String language,
                             @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        return Response.accepted(dubs.put(user.id(), seriesId, number, language, body, contentType)).build();
    }

    @PUT
    @Path("/subtitles/{language}")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "putSubtitles", summary = "Add or replace the episode's subtitles in one language: a WebVTT or SRT file as the body "
            + "(UTF-8); live in the master at once, no video re-encode. 422 names the line and the problem")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrackView.class)))
    @APIResponse(responseCode = "409", description = "The episode has no ready video yet")
    @APIResponse(responseCode = "422", description = "The file is refused: the problem names the line and what is wrong")
    public TrackView putSubtitles(@PathParam("seriesId") UUID seriesId,
                                  @PathParam("number") @Min(1) @Max(10000) int number,
                                  @PathParam("language") @Size(max = 35) String language, byte[] body) {
        return subtitles.put(user.id(), seriesId, number, language, body == null ? new byte[0] : body);
    }

    @DELETE
    @Path("/subtitles/{language}")
    @Operation(operationId = "deleteSubtitles", summary = "Remove the episode's subtitles in one language")
    @APIResponse(responseCode = "204", description = "Removed")
    public void deleteSubtitles(@PathParam("seriesId") UUID seriesId,
                                @PathParam("number") @Min(1) @Max(10000) int number,
                                @PathParam("language") @Size(max = 35) String language) {
        removal.remove(user.id(), seriesId, number, MediaTrack.SUBTITLES, language);
    }

    @DELETE
    @Path("/audio/{language}")
    @Operation(operationId = "deleteDubbedAudio", summary = "Remove the episode's dubbed audio in one language (a dub still being encoded is not live yet)")
    @APIResponse(responseCode = "204", description = "Removed")
    public void deleteAudio(@PathParam("seriesId") UUID seriesId,
                            @PathParam("number") @Min(1) @Max(10000) int number,
                            @PathParam("language") @Size(max = 35) String language) {
        removal.remove(user.id(), seriesId, number, MediaTrack.AUDIO, language);
    }
}

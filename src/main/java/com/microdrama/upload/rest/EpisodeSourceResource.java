package com.microdrama.upload.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.error.ApiException;
import com.microdrama.upload.StreamedUploadService;
import com.microdrama.upload.dto.SourceAccepted;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * A source streamed through the API, as a raw body or as a multipart form. Blocking boundary: the body is read
 * from an InputStream and written to object storage with the blocking SDK, on a worker thread.
 */
@Path("/api/v1/producer/series/{seriesId}/episodes/{number}/source")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PRODUCER)
@Blocking
public class EpisodeSourceResource {

    public static final String PATH_PATTERN = "^/api/v1/producer/series/[^/]+/episodes/[^/]+/source/?$";
    private static final String SHA256 = "^[0-9a-fA-F]{64}$";

    private final StreamedUploadService service;
    private final CurrentUser user;

    EpisodeSourceResource(StreamedUploadService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "uploadEpisodeSource", summary = "Upload an episode's source, streamed to storage as it arrives: the raw body, or the 'file' field of a multipart form")
    @APIResponse(responseCode = "201", description = "Stored; the transcode job is queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SourceAccepted.class)))
    @APIResponse(responseCode = "409", description = "The episode is not in a state to take a source")
    @APIResponse(responseCode = "422", description = "The media is refused (the problem says why)")
    @APIResponse(responseCode = "429", description = "Too many uploads of this producer at once (Retry-After)")
    public Response raw(@PathParam("seriesId") UUID seriesId,
                        @PathParam("number") @Min(1) @Max(10000) int number,
                        @QueryParam("sha256") @Pattern(regexp = SHA256, message = "must be 64 hexadecimal characters") String sha256,
                        @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                        @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
                        InputStream body) {
        return created(seriesId, service.receive(user.id(), seriesId, number, body, null, contentType,
                contentLength, sha256));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(operationId = "uploadEpisodeSource", summary = "Upload an episode's source, streamed to storage as it arrives: the raw body, or the 'file' field of a multipart form")
    @APIResponse(responseCode = "201", description = "Stored; the transcode job is queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SourceAccepted.class)))
    @APIResponse(responseCode = "409", description = "The episode is not in a state to take a source")
    @APIResponse(responseCode = "422", description = "The media is refused (the problem says why)")
    @APIResponse(responseCode = "429", description = "Too many uploads of this producer at once (Retry-After)")
    public Response form(@PathParam("seriesId") UUID seriesId,
                         @PathParam("number") @Min(1) @Max(10000) int number,
                         @RestForm("file") FileUpload file,
                         @RestForm("sha256") @Pattern(regexp = SHA256, message = "must be 64 hexadecimal characters") String sha256) {
        if (file == null || file.uploadedFile() == null) {
            throw ApiException.badRequest("file", "is required: send the video as the form field 'file'");
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return created(seriesId, service.receive(user.id(), seriesId, number, in, file.uploadedFile(),
                    file.contentType(), file.size(), sha256));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response created(UUID seriesId, SourceAccepted accepted) {
        return Response.created(URI.create("/api/v1/producer/series/" + seriesId + "/episodes/"
                + accepted.episodeNumber())).entity(accepted).build();
    }
}

package com.microdrama.upload.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.upload.DirectUploadService;
import com.microdrama.upload.dto.CreateUploadRequest;
import com.microdrama.upload.dto.SourceAccepted;
import com.microdrama.upload.dto.UploadView;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Direct, resumable uploads (the way mobile clients should use). Blocking boundary: every method talks to object
 * storage through the blocking MinIO SDK, so all of them run on worker threads.
 */
@Path("/api/v1/producer/uploads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PRODUCER)
@Blocking
public class UploadResource {

    private final DirectUploadService service;
    private final CurrentUser user;

    UploadResource(DirectUploadService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @POST
    @Operation(operationId = "createUpload", summary = "Start a direct upload: answers the part size and a presigned URL per part")
    @APIResponse(responseCode = "201", description = "Created: the part size and a presigned URL per part", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UploadView.class)))
    public Response create(@NotNull(message = "a JSON body is required") @Valid CreateUploadRequest request) {
        UploadView created = service.create(user.id(), request);
        return Response.created(URI.create("/api/v1/producer/uploads/" + created.id())).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getUpload", summary = "The upload's state; while pending, the parts stored and fresh URLs for the missing ones")
    public UploadView get(@PathParam("id") UUID id) {
        return service.get(user.id(), id);
    }

    @POST
    @Path("/{id}/complete")
    @Operation(operationId = "completeUpload", summary = "Complete the upload: verify size and checksum, probe, create the episode version")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SourceAccepted.class)))
    @APIResponse(responseCode = "409", description = "Parts are missing, or the upload was aborted or is being completed")
    @APIResponse(responseCode = "422", description = "The media is refused (the problem says why)")
    @APIResponse(responseCode = "503", description = "Object storage is out of reach: the upload stays pending and "
            + "intact, complete it again after Retry-After (when the database went away while recording it, the "
            + "problem says so: GET the upload to learn the outcome)")
    public SourceAccepted complete(@PathParam("id") UUID id) {
        return service.complete(user.id(), id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "abortUpload", summary = "Abort the upload and remove its parts")
    @APIResponse(responseCode = "204", description = "Aborted and its parts removed")
    @APIResponse(responseCode = "409", description = "The upload is already completed")
    public Response abort(@PathParam("id") UUID id) {
        service.abort(user.id(), id);
        return Response.noContent().build();
    }
}

package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.catalogue.ProducerCatalogueService;
import com.microdrama.catalogue.dto.EpisodeRequest;
import com.microdrama.catalogue.dto.ProducerEpisode;
import com.microdrama.catalogue.dto.QualityReport;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Episode metadata and publishing for a producer's own series. */
@Path("/api/v1/producer/series/{seriesId}/episodes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PRODUCER)
public class ProducerEpisodeResource {

    private final ProducerCatalogueService service;
    private final CurrentUser user;

    ProducerEpisodeResource(ProducerCatalogueService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(operationId = "listProducerEpisodes", summary = "All episodes of my series with their pipeline state, unpublished included")
    public Uni<List<ProducerEpisode>> list(@PathParam("seriesId") UUID seriesId) {
        return service.episodes(user.id(), seriesId);
    }

    @POST
    @Operation(operationId = "createEpisode", summary = "Create an episode (its media comes through the upload endpoints)")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProducerEpisode.class)))
    @APIResponse(responseCode = "409", description = "That episode number already exists in the series")
    public Uni<Response> create(@PathParam("seriesId") UUID seriesId,
                                @NotNull(message = "a JSON body is required") @Valid EpisodeRequest request) {
        return service.createEpisode(user.id(), seriesId, request).map(created -> Response
                .created(URI.create("/api/v1/producer/series/" + seriesId + "/episodes/" + created.number()))
                .entity(created).build());
    }

    @PATCH
    @Path("/{number}")
    @Operation(operationId = "updateEpisode", summary = "Change some fields of an episode of my series; absent fields stay as they are")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProducerEpisode.class)))
    @APIResponse(responseCode = "409", description = "The new number is taken")
    public Uni<ProducerEpisode> update(@PathParam("seriesId") UUID seriesId,
                                       @PathParam("number") @Min(1) @Max(10000) int number,
                                       @NotNull(message = "a JSON body is required") @Valid EpisodeRequest request) {
        return service.updateEpisode(user.id(), seriesId, number, request);
    }

    @POST
    @Path("/{number}/publish")
    @Operation(operationId = "publishEpisode", summary = "Publish an episode; viewers see it as soon as a version of it is ready")
    public Uni<ProducerEpisode> publish(@PathParam("seriesId") UUID seriesId,
                                        @PathParam("number") @Min(1) @Max(10000) int number) {
        return service.publishEpisode(user.id(), seriesId, number, true);
    }

    @GET
    @Path("/{number}/quality")
    @Operation(operationId = "getEpisodeQuality", summary = "The quality report of the episode's current version: each rung's bitrate, SSIM and PSNR")
    public Uni<QualityReport> quality(@PathParam("seriesId") UUID seriesId,
                                      @PathParam("number") @Min(1) @Max(10000) int number) {
        return service.quality(user.id(), seriesId, number);
    }

    @POST
    @Path("/{number}/unpublish")
    @Operation(operationId = "unpublishEpisode", summary = "Hide an episode from viewers again")
    public Uni<ProducerEpisode> unpublish(@PathParam("seriesId") UUID seriesId,
                                          @PathParam("number") @Min(1) @Max(10000) int number) {
        return service.publishEpisode(user.id(), seriesId, number, false);
    }
}

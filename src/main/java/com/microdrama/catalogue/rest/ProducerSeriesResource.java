package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.catalogue.ProducerCatalogueService;
import com.microdrama.catalogue.SeriesStatus;
import com.microdrama.catalogue.dto.ProducerSeries;
import com.microdrama.catalogue.dto.ProducerSeriesPage;
import com.microdrama.catalogue.dto.SeriesRequest;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.http.PageLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A producer's own series, drafts included. */
@Path("/api/v1/producer/series")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PRODUCER)
public class ProducerSeriesResource {

    private final ProducerCatalogueService service;
    private final CurrentUser user;

    ProducerSeriesResource(ProducerCatalogueService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @POST
    @Operation(operationId = "createSeries", summary = "Create a draft series")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProducerSeries.class)))
    @APIResponse(responseCode = "409", description = "The slug is taken")
    public Uni<Response> create(@NotNull(message = "a JSON body is required") @Valid SeriesRequest request) {
        return service.create(user.id(), request).map(created -> Response
                .created(URI.create("/api/v1/producer/series/" + created.id()))
                .entity(created).build());
    }

    @GET
    @Operation(operationId = "listProducerSeries", summary = "List my series, newest first, drafts included")
    public Uni<ProducerSeriesPage> list(@QueryParam("cursor") @Size(max = 200) String cursor,
                                        @QueryParam("limit") String limit) {
        return service.list(user.id(), PageCursor.parse(cursor), PageLimit.parse(limit, 20, 100));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getProducerSeries", summary = "One of my series, drafts included")
    public Uni<ProducerSeries> get(@PathParam("id") UUID id) {
        return service.get(user.id(), id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(operationId = "updateSeries", summary = "Change some fields of my series; absent fields stay as they are")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProducerSeries.class)))
    @APIResponse(responseCode = "409", description = "The slug is taken")
    public Uni<ProducerSeries> update(@PathParam("id") UUID id,
                                      @NotNull(message = "a JSON body is required") @Valid SeriesRequest request) {
        return service.update(user.id(), id, request);
    }

    @POST
    @Path("/{id}/publish")
    @Operation(operationId = "publishSeries", summary = "Make my series visible to viewers")
    public Uni<ProducerSeries> publish(@PathParam("id") UUID id) {
        return service.changeStatus(user.id(), id, SeriesStatus.PUBLISHED);
    }

    @POST
    @Path("/{id}/complete")
    @Operation(operationId = "completeSeries", summary = "Mark my published series as completed (all episodes out)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProducerSeries.class)))
    @APIResponse(responseCode = "409", description = "A draft cannot be completed")
    public Uni<ProducerSeries> complete(@PathParam("id") UUID id) {
        return service.changeStatus(user.id(), id, SeriesStatus.COMPLETED);
    }

    @POST
    @Path("/{id}/unpublish")
    @Operation(operationId = "unpublishSeries", summary = "Hide my series from viewers again")
    public Uni<ProducerSeries> unpublish(@PathParam("id") UUID id) {
        return service.changeStatus(user.id(), id, SeriesStatus.DRAFT);
    }
}

package com.microdrama.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.analytics.EventIntake;
import com.microdrama.analytics.dto.BatchAccepted;
import com.microdrama.analytics.dto.EventBatch;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The player's analytics events. */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class EventsResource {

    private final EventIntake intake;
    private final CurrentUser user;

    EventsResource(EventIntake intake, CurrentUser user) {
        this.intake = intake;
        this.user = user;
    }

    @POST
    @Operation(operationId = "sendEvents", summary = "Send up to 100 player events; 202 once they are stored durably (duplicates by id are dropped)")
    @APIResponse(responseCode = "202", description = "Stored durably", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchAccepted.class)))
    @APIResponse(responseCode = "429", description = "Too many events from this viewer for now (Retry-After)")
    public Uni<Response> receive(EventBatch batch) {
        return intake.receive(user.id(), batch)
                .map(accepted -> Response.accepted(accepted).build());
    }
}

package com.microdrama.paywall.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.StoreEventService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The payment service's store notifications: reversed purchases and VIP subscription changes. */
@Path("/api/v1/payments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PAYMENT_SERVICE)
public class StoreEventsResource {

    private final StoreEventService events;

    StoreEventsResource(StoreEventService events) {
        this.events = events;
    }

    public record ReversalRequest(@NotBlank @Size(max = 200) String eventId, @NotBlank @Size(max = 200) String viewerId,
                                  @NotBlank @Size(max = 200) String purchaseId,
                                  @NotNull @Pattern(regexp = "refund|chargeback", message = "must be refund or chargeback")
                                  String kind) {
    }

    public record VipEventRequest(@NotBlank @Size(max = 200) String eventId, @NotBlank @Size(max = 200) String viewerId,
                                  @NotNull @Pattern(regexp = "renew|lapse|revoke", message = "must be renew, lapse or revoke")
                                  String type,
                                  Instant until) {
    }

    @POST
    @Path("/reversals")
    @Operation(operationId = "reverseTopUp", summary = "Take back a refunded or charged-back top-up; coins already spent become a debt "
            + "(idempotent by eventId, once per purchase)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StoreEventService.Reversal.class)))
    @APIResponse(responseCode = "409", description = "The purchase was credited to another viewer, or the event id was received with other details")
    @APIResponse(responseCode = "404", description = "No such purchase")
    public Uni<StoreEventService.Reversal> reversal(
            @NotNull(message = "a JSON body is required") @Valid ReversalRequest body) {
        return events.reverse(body.eventId(), body.viewerId(), body.purchaseId(), body.kind());
    }

    @POST
    @Path("/vip-events")
    @Operation(operationId = "applyVipEvent", summary = "Renew (until, never shortens), lapse (ends at until or now) or revoke (ends now) a VIP pass "
            + "(idempotent by eventId)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StoreEventService.VipChange.class)))
    @APIResponse(responseCode = "409", description = "The event id was received with other details")
    public Uni<StoreEventService.VipChange> vipEvent(
            @NotNull(message = "a JSON body is required") @Valid VipEventRequest body) {
        return events.vipEvent(body.eventId(), body.viewerId(), body.type(), body.until());
    }
}

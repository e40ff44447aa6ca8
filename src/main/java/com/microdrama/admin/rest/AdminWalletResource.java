package com.microdrama.admin.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageLimit;
import com.microdrama.paywall.LedgerAudit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Operators and money: a viewer's ledger, corrections that are ledger rows, and the reconciliation check. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class AdminWalletResource {

    private final LedgerAudit audit;
    private final CurrentUser user;

    AdminWalletResource(LedgerAudit audit, CurrentUser user) {
        this.audit = audit;
        this.user = user;
    }

    public record AdjustmentRequest(@NotNull Long paidDelta, @NotNull Long bonusDelta,
                                    @NotBlank @Size(max = 500) String reason) {
    }

    @GET
    @Path("/viewers/{viewerId}/ledger")
    @Operation(operationId = "getViewerLedger", summary = "A viewer's wallet and ledger rows with their reasons, newest first")
    public Uni<LedgerAudit.ViewerLedger> ledger(@PathParam("viewerId") String viewerId,
                                                @QueryParam("limit") @Parameter(description = "1 to 200, default 50") String limit,
                                                @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        return audit.ledger(viewerId, cursor(cursor), PageLimit.parse(limit, 50, 200));
    }

    @POST
    @Path("/viewers/{viewerId}/adjustments")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(operationId = "adjustViewerCoins", summary = "Correct a viewer's coins with a stated reason; written to the ledger like any other change")
    @APIResponse(responseCode = "201", description = "The ledger entry written", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LedgerAudit.Entry.class)))
    @APIResponse(responseCode = "409", description = "The correction would leave the wallet below zero")
    public Uni<LedgerAudit.Entry> adjust(@PathParam("viewerId") String viewerId,
                                         @NotNull(message = "a JSON body is required") @Valid AdjustmentRequest body) {
        return audit.adjust(viewerId, user.id(), body.paidDelta(), body.bonusDelta(), body.reason());
    }

    @GET
    @Path("/reconciliation")
    @Operation(operationId = "getReconciliation", summary = "Proves every wallet equals its ledger and every unlock was paid for (a full scan)")
    public Uni<LedgerAudit.Report> reconciliation() {
        return audit.reconcile();
    }

    private static Long cursor(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cursor", "is not a cursor this endpoint gave out");
        }
    }
}

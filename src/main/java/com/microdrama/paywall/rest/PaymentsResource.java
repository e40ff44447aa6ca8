package com.microdrama.paywall.rest;

import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.WalletService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The payment service's server-to-server credits after a verified store purchase. */
@Path("/api/v1/payments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PAYMENT_SERVICE)
public class PaymentsResource {

    private final WalletService wallets;

    PaymentsResource(WalletService wallets) {
        this.wallets = wallets;
    }

    public record TopUpRequest(@NotBlank @Size(max = 200) String viewerId, @NotBlank @Size(max = 200) String purchaseId,
                               @NotBlank @Size(max = 100) String pack) {
    }

    public record VipRequest(@NotBlank @Size(max = 200) String viewerId, @NotBlank @Size(max = 200) String grantId,
                             @NotNull Instant until) {
    }

    public record VipGranted(String viewerId, Instant vipUntil) {
    }

    @POST
    @Path("/topups")
    @Operation(operationId = "creditTopUp", summary = "Credit a verified store purchase (idempotent by purchaseId)")
    @APIResponse(responseCode = "200", description = "Credited (or the same purchase again: replayed)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WalletService.TopUp.class), examples = @ExampleObject(name = "example", value = """
            {"viewerId": "viewer-42", "purchaseId": "GPA.1234", "pack": "coins-100", "paidCredited": 100, "bonusCredited": 0, "replayed": false, "paid": 100, "bonus": 0}""")))
    @APIResponse(responseCode = "409", description = "The purchase was credited with other details")
    public Uni<WalletService.TopUp> topUp(@NotNull(message = "a JSON body is required") @Valid TopUpRequest body) {
        return wallets.topUp(body.viewerId(), body.purchaseId(), body.pack());
    }

    @POST
    @Path("/vip")
    @Operation(operationId = "grantVip", summary = "Grant a VIP pass until a date (idempotent by grantId)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VipGranted.class)))
    @APIResponse(responseCode = "409", description = "The grant belongs to another viewer or has another date")
    public Uni<VipGranted> vip(@NotNull(message = "a JSON body is required") @Valid VipRequest body) {
        return wallets.grantVip(body.viewerId(), body.grantId(), body.until())
                .map(until -> new VipGranted(body.viewerId(), until));
    }
}

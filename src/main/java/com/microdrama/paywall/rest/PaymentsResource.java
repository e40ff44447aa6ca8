package com.microdrama.paywall.rest;

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
    @Operation(summary = "Credit a verified store purchase (idempotent by purchaseId)")
    public Uni<WalletService.TopUp> topUp(@NotNull(message = "a JSON body is required") @Valid TopUpRequest body) {
        return wallets.topUp(body.viewerId(), body.purchaseId(), body.pack());
    }

    @POST
    @Path("/vip")
    @Operation(summary = "Grant a VIP pass until a date (idempotent by grantId)")
    public Uni<VipGranted> vip(@NotNull(message = "a JSON body is required") @Valid VipRequest body) {
        return wallets.grantVip(body.viewerId(), body.grantId(), body.until())
                .map(until -> new VipGranted(body.viewerId(), until));
    }
}

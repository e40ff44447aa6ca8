package com.microdrama.paywall.rest;

import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.WalletService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class WalletResource {

    private final WalletService wallets;
    private final CurrentUser user;

    WalletResource(WalletService wallets, CurrentUser user) {
        this.wallets = wallets;
        this.user = user;
    }

    public record Settings(@NotNull Boolean autoUnlock) {
    }

    @GET
    @Path("/wallet")
    @Operation(operationId = "getWallet", summary = "My coins (paid and bonus), VIP pass and recent ledger")
    @APIResponse(responseCode = "200", description = "The wallet", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WalletService.Wallet.class), examples = @ExampleObject(name = "example", value = """
            {"viewerId": "viewer-42", "paid": 70, "bonus": 0, "total": 70, "debt": 0, "vipUntil": null, "recent": [{"id": 2, "paidDelta": -30, "bonusDelta": 0, "debtDelta": 0, "reason": "unlock", "reference": "6f1c2d3e-0000-4000-8000-000000000004", "note": null, "at": "2026-11-26T05:01:00Z"}, {"id": 1, "paidDelta": 100, "bonusDelta": 0, "debtDelta": 0, "reason": "topup", "reference": "GPA.1234", "note": null, "at": "2026-11-26T05:00:00Z"}]}""")))
    public Uni<WalletService.Wallet> wallet() {
        return wallets.wallet(user.id());
    }

    @jakarta.ws.rs.PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setAutoUnlock", summary = "Auto-unlock: playing a locked episode unlocks it with coins")
    public Uni<Settings> settings(@NotNull(message = "a JSON body is required") @Valid Settings body) {
        return wallets.setAutoUnlock(user.id(), body.autoUnlock()).map(Settings::new);
    }
}

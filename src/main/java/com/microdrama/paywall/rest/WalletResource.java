package com.microdrama.paywall.rest;

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
    @Operation(summary = "My coins (paid and bonus), VIP pass and recent ledger")
    public Uni<WalletService.Wallet> wallet() {
        return wallets.wallet(user.id());
    }

    @jakarta.ws.rs.PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Auto-unlock: playing a locked episode unlocks it with coins")
    public Uni<Settings> settings(@NotNull(message = "a JSON body is required") @Valid Settings body) {
        return wallets.setAutoUnlock(user.id(), body.autoUnlock()).map(Settings::new);
    }
}

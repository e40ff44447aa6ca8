package com.microdrama.paywall.rest;

import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.IdempotencyKeys;
import com.microdrama.paywall.UnlockService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/episodes/{id}/unlock")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class UnlockResource {

    private final UnlockService unlocks;
    private final CurrentUser user;

    UnlockResource(UnlockService unlocks, CurrentUser user) {
        this.unlocks = unlocks;
        this.user = user;
    }

    @POST
    @Operation(operationId = "unlockEpisode", summary = "Unlock an episode with coins; idempotent by the Idempotency-Key header")
    @APIResponse(responseCode = "200", description = "Unlocked (or already unlocked, free or covered by VIP: see outcome)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnlockService.Result.class), examples = @ExampleObject(name = "example", value = """
            {"episodeId": "6f1c2d3e-0000-4000-8000-000000000004", "outcome": "UNLOCKED", "chargedPaid": 30, "chargedBonus": 0, "paid": 70, "bonus": 0, "total": 70}""")))
    @APIResponse(responseCode = "402", description = "Not enough coins, or the wallet owes a debt")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for another request")
    public Uni<UnlockService.Result> unlock(@PathParam("id") UUID episodeId,
                                            @HeaderParam("Idempotency-Key") String key) {
        return unlocks.unlock(user.id(), episodeId, IdempotencyKeys.require(key));
    }
}

package com.microdrama.paywall.rest;

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
    @Operation(summary = "Unlock an episode with coins; idempotent by the Idempotency-Key header")
    public Uni<UnlockService.Result> unlock(@PathParam("id") UUID episodeId,
                                            @HeaderParam("Idempotency-Key") String key) {
        return unlocks.unlock(user.id(), episodeId, IdempotencyKeys.require(key));
    }
}

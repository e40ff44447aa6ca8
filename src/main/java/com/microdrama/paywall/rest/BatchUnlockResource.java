package com.microdrama.paywall.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.IdempotencyKeys;
import com.microdrama.paywall.BatchUnlockService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/series/{id}/unlock-next")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class BatchUnlockResource {

    private final BatchUnlockService batches;
    private final CurrentUser user;

    BatchUnlockResource(BatchUnlockService batches, CurrentUser user) {
        this.batches = batches;
        this.user = user;
    }

    public record BatchRequest(@NotNull @Min(1) @Max(50) Integer count) {
    }

    @POST
    @Operation(operationId = "unlockNextEpisodes", summary = "Unlock the next N locked episodes at a discount, all or nothing (Idempotency-Key required)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchUnlockService.Result.class)))
    @APIResponse(responseCode = "402", description = "Not enough coins for the batch")
    @APIResponse(responseCode = "409", description = "Nothing is left to unlock, or a VIP pass already covers it")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for another request")
    public Uni<BatchUnlockService.Result> unlockNext(@PathParam("id") UUID seriesId,
                                                     @HeaderParam("Idempotency-Key") String key,
                                                     @NotNull(message = "a JSON body is required") @Valid BatchRequest body) {
        return batches.unlockNext(user.id(), seriesId, body.count(), IdempotencyKeys.require(key));
    }
}

package com.microdrama.paywall.rest;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.paywall.AdRewardService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Called by the ad network, not by apps: authenticated by its HMAC signature rather than a user token. */
@Path("/api/v1/ads/callback")
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class AdCallbackResource {

    public static final String SIGNATURE_HEADER = "X-Ad-Signature";

    private final AdRewardService rewards;

    AdCallbackResource(AdRewardService rewards) {
        this.rewards = rewards;
    }

    public record Callback(@NotBlank @Size(max = 200) String viewerId, @NotNull UUID episodeId,
                           @NotBlank @Size(max = 200) String transactionId, @NotNull Long timestamp) {
    }

    @POST
    @Operation(operationId = "rewardAdView", summary = "Rewarded-ad callback: HMAC-SHA256 of viewerId|episodeId|transactionId|timestamp in X-Ad-Signature")
    @SecurityRequirement(name = "adSignature")
    @APIResponse(responseCode = "204", description = "The reward is granted (the episode is unlocked for the viewer)")
    @APIResponse(responseCode = "409", description = "This ad transaction was already rewarded")
    @APIResponse(responseCode = "429", description = "The viewer reached today's rewarded-ad cap")
    @APIResponse(responseCode = "404", description = "No such episode")
    public Uni<Void> callback(@HeaderParam(SIGNATURE_HEADER) String signature,
                              @NotNull(message = "a JSON body is required") @Valid Callback body) {
        return rewards.reward(new AdRewardService.Reward(body.viewerId(), body.episodeId(), body.transactionId(),
                body.timestamp()), signature);
    }
}

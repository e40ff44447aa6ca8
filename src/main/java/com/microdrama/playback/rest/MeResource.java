package com.microdrama.playback.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.playback.LanguageSettings;
import com.microdrama.playback.ViewerActivityService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A viewer's own watch progress, favourites and preferred languages. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class MeResource {

    private final ViewerActivityService activity;
    private final LanguageSettings languages;
    private final CurrentUser user;

    MeResource(ViewerActivityService activity, LanguageSettings languages, CurrentUser user) {
        this.activity = activity;
        this.languages = languages;
        this.user = user;
    }

    public record LanguagesRequest(@Schema(nullable = true) @Size(max = 35) String audio,
                                   @Schema(nullable = true) @Size(max = 35) String subtitles) {
    }

    @GET
    @Path("/languages")
    @Operation(operationId = "getLanguages", summary = "My preferred audio and subtitle languages (null: none)")
    public Uni<LanguageSettings.Preferred> languages() {
        return languages.of(user.id());
    }

    @PUT
    @Path("/languages")
    @Operation(operationId = "setLanguages", summary = "Set my preferred audio and subtitle languages (BCP 47; null clears): playback makes them "
            + "DEFAULT when its ?audio=/?subtitles= do not name others")
    public Uni<LanguageSettings.Preferred> setLanguages(@NotNull(message = "a JSON body is required") @Valid LanguagesRequest body) {
        return languages.save(user.id(), body.audio(), body.subtitles());
    }

    public record ProgressRequest(@NotNull @DecimalMin("0") @DecimalMax("86400") Double positionSeconds) {
    }

    @PUT
    @Path("/progress/{episodeId}")
    @Operation(operationId = "saveProgress", summary = "Remember where I stopped in an episode")
    public Uni<ViewerActivityService.Progress> progress(@PathParam("episodeId") UUID episodeId,
                                                        @NotNull(message = "a JSON body is required") @Valid ProgressRequest body) {
        return activity.saveProgress(user.id(), episodeId, body.positionSeconds());
    }

    @GET
    @Path("/continue-watching")
    @Operation(operationId = "listContinueWatching", summary = "Per series, where to resume, most recent first")
    public Uni<List<ViewerActivityService.ContinueWatching>> continueWatching() {
        return activity.continueWatching(user.id());
    }

    @GET
    @Path("/favourites")
    @Operation(operationId = "listFavourites", summary = "My favourite series, most recent first")
    public Uni<List<ViewerActivityService.Favourite>> favourites() {
        return activity.favourites(user.id());
    }

    @PUT
    @Path("/favourites/{seriesId}")
    @Operation(operationId = "addFavourite", summary = "Keep a series in my favourites (idempotent)")
    @APIResponse(responseCode = "204", description = "Kept")
    public Uni<Void> addFavourite(@PathParam("seriesId") UUID seriesId) {
        return activity.addFavourite(user.id(), seriesId);
    }

    @DELETE
    @Path("/favourites/{seriesId}")
    @Operation(operationId = "removeFavourite", summary = "Take a series out of my favourites (idempotent)")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Void> removeFavourite(@PathParam("seriesId") UUID seriesId) {
        return activity.removeFavourite(user.id(), seriesId);
    }
}

package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.catalogue.ProducerTranslations;
import com.microdrama.catalogue.dto.TranslationRequest;
import com.microdrama.catalogue.dto.TranslationView;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

/** Translations of a producer's own series and episodes, one language at a time (PUT adds or replaces). */
@Path("/api/v1/producer/series/{seriesId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PRODUCER)
public class ProducerTranslationResource {

    private final ProducerTranslations translations;
    private final CurrentUser user;

    ProducerTranslationResource(ProducerTranslations translations, CurrentUser user) {
        this.translations = translations;
        this.user = user;
    }

    @GET
    @Path("/translations")
    @Operation(operationId = "listSeriesTranslations", summary = "The series' translations (its default language is the series' own text)")
    public Uni<List<TranslationView>> seriesTranslations(@PathParam("seriesId") UUID seriesId) {
        return translations.ofSeries(user.id(), seriesId);
    }

    @PUT
    @Path("/translations/{language}")
    @Operation(operationId = "putSeriesTranslation", summary = "Add or replace the series' title and synopsis in one BCP 47 language")
    public Uni<TranslationView> putSeries(@PathParam("seriesId") UUID seriesId,
                                          @PathParam("language") @Size(max = 35) String language,
                                          @NotNull(message = "a JSON body is required") @Valid TranslationRequest request) {
        return translations.putSeries(user.id(), seriesId, language, request);
    }

    @DELETE
    @Path("/translations/{language}")
    @Operation(operationId = "deleteSeriesTranslation", summary = "Remove one translation of the series")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Void> deleteSeries(@PathParam("seriesId") UUID seriesId,
                                  @PathParam("language") @Size(max = 35) String language) {
        return translations.deleteSeries(user.id(), seriesId, language);
    }

    @GET
    @Path("/episodes/{number}/translations")
    @Operation(operationId = "listEpisodeTranslations", summary = "The episode's title translations")
    public Uni<List<TranslationView>> episodeTranslations(@PathParam("seriesId") UUID seriesId,
                                                          @PathParam("number") @Min(1) @Max(10000) int number) {
        return translations.ofEpisode(user.id(), seriesId, number);
    }

    @PUT
    @Path("/episodes/{number}/translations/{language}")
    @Operation(operationId = "putEpisodeTranslation", summary = "Add or replace an episode's title in one BCP 47 language")
    public Uni<TranslationView> putEpisode(@PathParam("seriesId") UUID seriesId,
                                           @PathParam("number") @Min(1) @Max(10000) int number,
                                           @PathParam("language") @Size(max = 35) String language,
                                           @NotNull(message = "a JSON body is required") @Valid TranslationRequest request) {
        return translations.putEpisode(user.id(), seriesId, number, language, request);
    }

    @DELETE
    @Path("/episodes/{number}/translations/{language}")
    @Operation(operationId = "deleteEpisodeTranslation", summary = "Remove one translation of an episode's title")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Void> deleteEpisode(@PathParam("seriesId") UUID seriesId,
                                   @PathParam("number") @Min(1) @Max(10000) int number,
                                   @PathParam("language") @Size(max = 35) String language) {
        return translations.deleteEpisode(user.id(), seriesId, number, language);
    }
}

package com.microdrama.catalogue.rest;

import com.microdrama.catalogue.CatalogueService;
import com.microdrama.catalogue.SeriesFilter;
import com.microdrama.catalogue.dto.EpisodeView;
import com.microdrama.catalogue.dto.SeriesDetail;
import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.http.CachedJson;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.http.PageLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The catalogue as mobile apps browse it; anonymous callers are welcome. */
@Path("/api/v1/series")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class SeriesResource {

    static final int MAX_AGE_SECONDS = 30;

    private final CatalogueService catalogue;
    private final CachedJson cachedJson;
    private final CurrentUser user;

    SeriesResource(CatalogueService catalogue, CachedJson cachedJson, CurrentUser user) {
        this.catalogue = catalogue;
        this.cachedJson = cachedJson;
        this.user = user;
    }

    @GET
    @Operation(summary = "Browse published series, newest or most popular first, a page at a time")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SeriesPage.class)))
    public Uni<Response> list(@Context Request request,
                              @QueryParam("genre") @Size(max = 40) String genre,
                              @QueryParam("tag") @Size(max = 40) String tag,
                              @QueryParam("language") @Pattern(regexp = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                                      message = "must be a language tag such as en or pt-BR") String language,
                              @QueryParam("sort") @DefaultValue("new") @Pattern(regexp = "new|popular",
                                      message = "must be 'new' or 'popular'") String sort,
                              @QueryParam("cursor") @Size(max = 200) String cursor,
                              @QueryParam("limit") String limit) {
        SeriesFilter filter = new SeriesFilter(lower(genre), lower(tag), language,
                SeriesFilter.Sort.valueOf(sort.toUpperCase(Locale.ROOT)));
        PageCursor after = PageCursor.parse(cursor);
        int rows = PageLimit.parse(limit, 20, 50);
        return user.optionalId()
                .flatMap(anyone -> catalogue.list(filter, after, rows))
                .map(page -> cachedJson.shared(request, page, MAX_AGE_SECONDS));
    }

    @GET
    @Path("/{idOrSlug}")
    @Operation(summary = "One published series by id or slug, with its episode count and prices")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SeriesDetail.class)))
    public Uni<Response> detail(@Context Request request, @PathParam("idOrSlug") @Size(max = 80) String idOrSlug) {
        return user.optionalId()
                .flatMap(anyone -> catalogue.detail(idOrSlug))
                .map(detail -> cachedJson.shared(request, detail, MAX_AGE_SECONDS));
    }

    @GET
    @Path("/{idOrSlug}/episodes")
    @Operation(summary = "The series' playable episodes in order, each with its lock state for the caller")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EpisodeView[].class)))
    public Uni<Response> episodes(@Context Request request, @PathParam("idOrSlug") @Size(max = 80) String idOrSlug) {
        return user.optionalId().flatMap(viewer -> catalogue.episodes(idOrSlug, viewer)
                .map(list -> viewer.isPresent()
                        ? cachedJson.personal(request, list)
                        : cachedJson.shared(request, list, MAX_AGE_SECONDS)));
    }

    private static String lower(String value) {
        return value == null || value.isBlank() ? null : value.strip().toLowerCase(Locale.ROOT);
    }
}

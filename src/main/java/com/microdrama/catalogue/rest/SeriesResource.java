package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import com.microdrama.catalogue.CatalogueService;
import com.microdrama.catalogue.SeriesFilter;
import com.microdrama.catalogue.dto.EpisodeView;
import com.microdrama.catalogue.dto.SeriesDetail;
import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.http.CachedJson;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.http.PageLimit;
import com.microdrama.core.i18n.LanguagePreference;
import com.microdrama.core.i18n.Languages;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
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
    @Operation(operationId = "listSeries", summary = "Browse published series, newest or most popular first, a page at a time")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SeriesPage.class)))
    @Extension(name = "x-auth", value = "optional")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current answer")
    public Uni<Response> list(@Context Request request,
                              @QueryParam("genre") @Size(max = 40) String genre,
                              @QueryParam("tag") @Size(max = 40) String tag,
                              @QueryParam("language") @Pattern(regexp = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                                      message = "must be a language tag such as en or pt-BR") String language,
                              @QueryParam("sort") @DefaultValue("new") @Pattern(regexp = "new|popular",
                                      message = "must be 'new' or 'popular'") String sort,
                              @QueryParam("cursor") @Size(max = 200) String cursor,
                              @QueryParam("limit") String limit,
                              @QueryParam("audio") @Size(max = 35) String audio,
                              @QueryParam("subtitles") @Size(max = 35) String subtitles,
                              @QueryParam("lang") @Size(max = 35) String lang,
                              @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        SeriesFilter filter = new SeriesFilter(lower(genre), lower(tag), language,
                SeriesFilter.Sort.valueOf(sort.toUpperCase(Locale.ROOT)),
                audio == null ? null : Languages.normalise("audio", audio),
                subtitles == null ? null : Languages.normalise("subtitles", subtitles));
        PageCursor after = PageCursor.parse(cursor);
        int rows = PageLimit.parse(limit, 20, 50);
        LanguagePreference wanted = new LanguagePreference(lang, acceptLanguage);
        return user.optionalId()
                .flatMap(anyone -> catalogue.list(filter, after, rows, wanted))
                .map(page -> negotiated(cachedJson.shared(request, page, MAX_AGE_SECONDS), null));
    }

    @GET
    @Path("/{idOrSlug}")
    @Operation(operationId = "getSeries", summary = "One published series by id or slug, with its episode count and prices")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SeriesDetail.class)))
    @Extension(name = "x-auth", value = "optional")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current answer")
    public Uni<Response> detail(@Context Request request, @PathParam("idOrSlug") @Size(max = 80) String idOrSlug,
                                @QueryParam("lang") @Size(max = 35) String lang,
                                @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        LanguagePreference wanted = new LanguagePreference(lang, acceptLanguage);
        return user.optionalId()
                .flatMap(anyone -> catalogue.detail(idOrSlug, wanted))
                .map(detail -> negotiated(cachedJson.shared(request, detail, MAX_AGE_SECONDS),
                        detail.contentLanguage()));
    }

    @GET
    @Path("/{idOrSlug}/episodes")
    @Operation(operationId = "listSeriesEpisodes", summary = "The series' playable episodes in order, each with its lock state for the caller")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EpisodeView[].class)))
    @Extension(name = "x-auth", value = "optional")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current answer")
    public Uni<Response> episodes(@Context Request request, @PathParam("idOrSlug") @Size(max = 80) String idOrSlug,
                                  @QueryParam("lang") @Size(max = 35) String lang,
                                  @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        LanguagePreference wanted = new LanguagePreference(lang, acceptLanguage);
        return user.optionalId().flatMap(viewer -> catalogue.episodes(idOrSlug, viewer, wanted)
                .map(found -> negotiated(viewer.isPresent()
                        ? cachedJson.personalJson(request, found.json())
                        : cachedJson.sharedJson(request, found.json(), MAX_AGE_SECONDS), found.language())));
    }

    /**
     * The answer depends on Accept-Language, so caches must key on it too; {@code Content-Language} names the
     * language the answer's text is in (a list says it per series).
     */
    private static Response negotiated(Response response, String contentLanguage) {
        Response.ResponseBuilder builder = Response.fromResponse(response);
        String vary = response.getHeaderString(HttpHeaders.VARY);
        builder.header(HttpHeaders.VARY, null)
                .header(HttpHeaders.VARY, vary == null ? HttpHeaders.ACCEPT_LANGUAGE : vary + ", " + HttpHeaders.ACCEPT_LANGUAGE);
        if (contentLanguage != null) {
            builder.header(HttpHeaders.CONTENT_LANGUAGE, contentLanguage);
        }
        return builder.build();
    }

    private static String lower(String value) {
        return value == null || value.isBlank() ? null : value.strip().toLowerCase(Locale.ROOT);
    }
}

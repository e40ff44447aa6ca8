package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import com.microdrama.catalogue.FeedService;
import com.microdrama.catalogue.dto.FeedPage;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.http.CachedJson;
import com.microdrama.core.http.PageLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The vertical swipe feed, for anyone; signed-in viewers get their series first and ready playback URLs. */
@Path("/api/v1/feed")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class FeedResource {

    private static final int MAX_LANGUAGES = 5;

    private final FeedService feed;
    private final CachedJson cachedJson;
    private final CurrentUser user;

    FeedResource(FeedService feed, CachedJson cachedJson, CurrentUser user) {
        this.feed = feed;
        this.cachedJson = cachedJson;
        this.user = user;
    }

    @GET
    @Operation(operationId = "getFeed", summary = "A page of the swipe feed: continue-watching first (signed in), then trending in the viewer's "
            + "languages (language=…, else Accept-Language); watchable items carry a tokenised master URL")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = FeedPage.class)))
    @Extension(name = "x-auth", value = "optional")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current answer")
    public Uni<Response> page(@Context Request request,
                              @QueryParam("language") List<@Pattern(regexp = RailsResource.LANGUAGE,
                                      message = "must be a language tag such as en or pt-BR") String> languages,
                              @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
                              @QueryParam("cursor") @Size(max = 300) String cursor,
                              @QueryParam("limit") String limit) {
        int rows = PageLimit.parse(limit, 10, 30);
        List<String> wanted = languages.isEmpty() ? accepted(acceptLanguage) : languages;
        return user.optionalId().flatMap(viewer -> feed.page(viewer, wanted, FeedService.cursor(cursor), rows)
                .map(page -> viewer.isPresent() ? cachedJson.personal(request, page)
                        // The anonymous feed differs by language: a shared cache must key on the header.
                        : Response.fromResponse(cachedJson.shared(request, page, SeriesResource.MAX_AGE_SECONDS))
                                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE).build()));
    }

    /** The languages of an Accept-Language header, preferred first; none (every language) when absent or unusable. */
    static List<String> accepted(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        try {
            List<String> tags = new ArrayList<>();
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                String tag = range.getRange();
                if (!tag.equals("*") && range.getWeight() > 0 && tags.size() < MAX_LANGUAGES) {
                    tags.add(tag.toLowerCase(Locale.ROOT));
                }
            }
            return tags;
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }
}

package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import com.microdrama.catalogue.Rails;
import com.microdrama.catalogue.dto.Rail;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.http.CachedJson;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.http.PageLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The home screen's rows; "more like what you watched" only for a signed-in viewer. */
@Path("/api/v1/rails")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class RailsResource {

    static final String LANGUAGE = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
    static final int MAX_LANGUAGES = 10;

    private final Rails rails;
    private final CachedJson cachedJson;
    private final CurrentUser user;

    RailsResource(Rails rails, CachedJson cachedJson, CurrentUser user) {
        this.rails = rails;
        this.cachedJson = cachedJson;
        this.user = user;
    }

    @GET
    @Operation(operationId = "listRails", summary = "Trending, new, trending per genre and (signed in) more like what you watched; "
            + "each row's nextCursor pages it through /api/v1/rails/{id}")
    @Extension(name = "x-auth", value = "optional")
    @APIResponse(responseCode = "200", description = "The rails", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT, required = true, properties = @SchemaProperty(name = "rails", type = SchemaType.ARRAY, implementation = Rail.class))))
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current answer")
    public Uni<Response> all(@Context Request request,
                             @QueryParam("language") @Size(max = MAX_LANGUAGES, message = "at most 10 languages")
                             List<@Pattern(regexp = LANGUAGE,
                                     message = "must be a language tag such as en or pt-BR") String> languages,
                             @QueryParam("limit") String limit) {
        int rows = PageLimit.parse(limit, 10, 50);
        return user.optionalId().flatMap(viewer -> rails.all(languages, viewer, rows)
                .map(list -> answer(request, Map.of("rails", list), viewer.isPresent())));
    }

    @GET
    @Path("/{railId}")
    @Operation(operationId = "getRail", summary = "The next page of one row")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Rail.class)))
    @Extension(name = "x-auth", value = "optional")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current answer")
    public Uni<Response> one(@Context Request request, @PathParam("railId") @Size(max = 60) String railId,
                             @QueryParam("language") @Size(max = MAX_LANGUAGES, message = "at most 10 languages")
                             List<@Pattern(regexp = LANGUAGE,
                                     message = "must be a language tag such as en or pt-BR") String> languages,
                             @QueryParam("cursor") @Size(max = 200) String cursor,
                             @QueryParam("limit") String limit) {
        PageCursor after = PageCursor.parse(cursor);
        int rows = PageLimit.parse(limit, 10, 50);
        return user.optionalId().flatMap(viewer -> rails.one(railId, languages, viewer, after, rows)
                .map(rail -> answer(request, rail, viewer.isPresent())));
    }

    private Response answer(Request request, Object body, boolean personal) {
        return personal ? cachedJson.personal(request, body) : cachedJson.shared(request, body, SeriesResource.MAX_AGE_SECONDS);
    }
}

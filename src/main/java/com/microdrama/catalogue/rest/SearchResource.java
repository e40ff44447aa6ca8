package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import com.microdrama.catalogue.SeriesSearch;
import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.CachedJson;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.http.PageLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Search over published series; anonymous callers are welcome. */
@Path("/api/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class SearchResource {

    private final SeriesSearch search;
    private final CachedJson cachedJson;
    private final CurrentUser user;

    SearchResource(SeriesSearch search, CachedJson cachedJson, CurrentUser user) {
        this.search = search;
        this.cachedJson = cachedJson;
        this.user = user;
    }

    @GET
    @Operation(operationId = "searchSeries", summary = "Series by title, tags and synopsis, best match first; tolerant of typos and partial words")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SeriesPage.class)))
    @Extension(name = "x-auth", value = "optional")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current answer")
    public Uni<Response> search(@Context Request request,
                                @QueryParam("q") @Size(max = 100, message = "must be at most 100 characters") String q,
                                @QueryParam("cursor") @Size(max = 200) String cursor,
                                @QueryParam("limit") String limit) {
        if (q == null || q.isBlank()) {
            throw ApiException.badRequest("q", "is required: the words to search for");
        }
        PageCursor after = PageCursor.parse(cursor);
        int rows = PageLimit.parse(limit, 20, 50);
        return user.optionalId()
                .flatMap(anyone -> search.search(q, after, rows))
                .map(page -> cachedJson.shared(request, page, SeriesResource.MAX_AGE_SECONDS));
    }
}

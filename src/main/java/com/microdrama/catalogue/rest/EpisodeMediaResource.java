package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.catalogue.CatalogueService;
import com.microdrama.core.storage.ObjectStorage;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;

/** Episode artwork: a redirect to a signed storage URL, so image bytes never pass through the JVM. */
@Path("/api/v1/episodes/{id}")
@PermitAll
public class EpisodeMediaResource {

    private static final int REDIRECT_MAX_AGE_SECONDS = 300;

    private final CatalogueService catalogue;
    private final ObjectStorage storage;

    EpisodeMediaResource(CatalogueService catalogue, ObjectStorage storage) {
        this.catalogue = catalogue;
        this.storage = storage;
    }

    @GET
    @Path("/poster")
    @Operation(operationId = "getEpisodePoster", summary = "The episode's poster: a redirect to a short-lived signed image URL")
    @APIResponse(responseCode = "302", description = "Redirect to the image", headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> poster(@PathParam("id") UUID id) {
        return catalogue.posterKey(id).map(key -> redirect(storage.signedGetUrl(key)));
    }

    @GET
    @Path("/thumbnail")
    @Operation(operationId = "getEpisodeThumbnail", summary = "The episode's thumbnail: a redirect to a short-lived signed image URL")
    @APIResponse(responseCode = "302", description = "Redirect to the image", headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> thumbnail(@PathParam("id") UUID id) {
        return catalogue.thumbnailKey(id).map(key -> redirect(storage.signedGetUrl(key)));
    }

    private static Response redirect(String url) {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(REDIRECT_MAX_AGE_SECONDS);
        return Response.status(Response.Status.FOUND).location(URI.create(url)).cacheControl(cache).build();
    }
}

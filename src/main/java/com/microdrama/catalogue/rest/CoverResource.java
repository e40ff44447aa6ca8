package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.catalogue.SeriesCovers;
import com.microdrama.core.error.ApiException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Stored cover shapes, read by anyone; their URLs name the image's digest. Blocking boundary: the storage SDK. */
@Path("/api/v1/covers")
@Blocking
public class CoverResource {

    /** A year: the URL names the image's digest, so a new cover is a new URL. */
    private static final int IMMUTABLE_SECONDS = 365 * 24 * 3600;

    private final SeriesCovers covers;

    CoverResource(SeriesCovers covers) {
        this.covers = covers;
    }

    @GET
    @Path("/{seriesId}/{digest}/{shape}.jpg")
    @Produces("image/jpeg")
    @PermitAll
    @Operation(operationId = "getCover", summary = "A cover shape (3x4 or 9x16); its URL never changes, so it may be cached for a year")
    @APIResponse(responseCode = "200", description = "The JPEG", content = @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response read(@PathParam("seriesId") UUID seriesId,
                         @PathParam("digest") @Pattern(regexp = "^[0-9a-f]{16}$") String digest,
                         @PathParam("shape") @Pattern(regexp = "^(3x4|9x16)$", message = "must be 3x4 or 9x16") String shape) {
        byte[] image = covers.read(seriesId, digest, shape)
                .orElseThrow(() -> ApiException.notFound("cover", seriesId + "/" + digest));
        CacheControl cache = new CacheControl();
        cache.setMaxAge(IMMUTABLE_SECONDS);
        cache.getCacheExtension().put("immutable", null);
        cache.setPrivate(false);
        return Response.ok(image, "image/jpeg").cacheControl(cache).build();
    }
}

package com.microdrama.catalogue.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.catalogue.SeriesCovers;
import com.microdrama.catalogue.dto.CoverUrls;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.http.LargeBodyRoute;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A producer uploads a series' cover as the raw request body. Blocking boundary: the body, ffmpeg and the storage
 * SDK run on a worker thread.
 */
@Path("/api/v1/producer/series/{seriesId}/cover")
@Blocking
public class ProducerCoverResource {

    private final SeriesCovers covers;
    private final CurrentUser user;

    ProducerCoverResource(SeriesCovers covers, CurrentUser user) {
        this.covers = covers;
        this.user = user;
    }

    @PUT
    @Consumes({"image/jpeg", "image/png", "image/webp", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRODUCER)
    @Operation(operationId = "uploadCover", summary = "Upload the series' cover (JPEG, PNG or WebP, up to 10 MiB and 24 megapixels); "
            + "answers the URLs of its 3:4 and 9:16 shapes")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CoverUrls.class)))
    @APIResponse(responseCode = "422", description = "The image is not a JPEG, PNG or WebP of the accepted size")
    public CoverUrls upload(@PathParam("seriesId") UUID seriesId, InputStream body) {
        return covers.replace(user.id(), seriesId, body);
    }

    /** The cover upload takes bodies up to 10 MiB; every other route keeps the small default. */
    @ApplicationScoped
    static class CoverBodyLimit implements LargeBodyRoute {

        private static final java.util.regex.Pattern COVER =
                java.util.regex.Pattern.compile("^/api/v1/producer/series/[^/]+/cover/?$");

        @Override
        public boolean matches(String path) {
            return COVER.matcher(path).matches();
        }

        @Override
        public long maxSize() {
            return SeriesCovers.MAX_BYTES;
        }

        @Override
        public String tooLarge(long declared) {
            return SeriesCovers.tooLarge();
        }
    }
}

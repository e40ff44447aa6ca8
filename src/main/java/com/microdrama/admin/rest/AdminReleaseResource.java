package com.microdrama.admin.rest;

import com.microdrama.catalogue.UpcomingReleaseList;
import com.microdrama.catalogue.dto.UpcomingReleases;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.http.PageLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The dashboard's schedule panel: upcoming releases of every series. Changes go to the series' schedule endpoints. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class AdminReleaseResource {

    private final UpcomingReleaseList releases;

    AdminReleaseResource(UpcomingReleaseList releases) {
        this.releases = releases;
    }

    @GET
    @Path("/releases")
    @Operation(operationId = "listAllUpcomingReleases", summary = "Upcoming releases of every series, soonest first")
    public Uni<UpcomingReleases> upcoming(@QueryParam("cursor") @Size(max = 200) String cursor,
                                          @QueryParam("limit") String limit) {
        return releases.page(Optional.empty(), PageCursor.parse(cursor), PageLimit.parse(limit, 50, 200));
    }
}

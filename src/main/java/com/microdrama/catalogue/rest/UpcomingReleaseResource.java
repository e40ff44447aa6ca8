package com.microdrama.catalogue.rest;

import com.microdrama.catalogue.UpcomingReleaseList;
import com.microdrama.catalogue.dto.UpcomingReleases;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.http.PageLimit;
import io.quarkus.security.identity.SecurityIdentity;
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

/**
 * The schedule ahead: every episode whose release time has not come, soonest first. Producers see their own series,
 * operators every series (as at {@code /api/v1/admin/releases}, which the dashboard reads). Times are changed per
 * series at {@code /api/v1/producer/series/{id}/schedule}, by the same two roles.
 */
@Path("/api/v1/producer/releases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.PRODUCER, Roles.OPERATOR})
public class UpcomingReleaseResource {

    private final UpcomingReleaseList releases;
    private final SecurityIdentity identity;

    UpcomingReleaseResource(UpcomingReleaseList releases, SecurityIdentity identity) {
        this.releases = releases;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "listUpcomingReleases", summary = "Upcoming releases of the caller's series (an operator: of every series), soonest first")
    public Uni<UpcomingReleases> own(@QueryParam("cursor") @Size(max = 200) String cursor,
                                     @QueryParam("limit") String limit) {
        Optional<String> producer = identity.hasRole(Roles.OPERATOR) ? Optional.empty()
                : Optional.of(identity.getPrincipal().getName());
        return releases.page(producer, PageCursor.parse(cursor), PageLimit.parse(limit, 50, 200));
    }
}

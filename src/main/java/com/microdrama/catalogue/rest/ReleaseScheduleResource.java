package com.microdrama.catalogue.rest;

import com.microdrama.catalogue.ReleaseSchedules;
import com.microdrama.catalogue.dto.DailyRelease;
import com.microdrama.catalogue.dto.EpisodeRelease;
import com.microdrama.catalogue.dto.ReleaseScheduleView;
import com.microdrama.core.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A series' release schedule: its producer sees and changes it, and so may operators, for any series. */
@Path("/api/v1/producer/series/{seriesId}/schedule")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.PRODUCER, Roles.OPERATOR})
public class ReleaseScheduleResource {

    private final ReleaseSchedules schedules;
    private final SecurityIdentity identity;

    ReleaseScheduleResource(ReleaseSchedules schedules, SecurityIdentity identity) {
        this.schedules = schedules;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getReleaseSchedule", summary = "The daily rule, the next arrival and every episode's release time")
    public Uni<ReleaseScheduleView> get(@PathParam("seriesId") UUID seriesId) {
        return schedules.view(confinedTo(), seriesId);
    }

    @PUT
    @Path("/daily")
    @Operation(operationId = "setDailyRelease", summary = "Release one episode a day at a local time in a time zone, from episode N on")
    public Uni<ReleaseScheduleView> setDaily(@PathParam("seriesId") UUID seriesId,
                                             @NotNull(message = "a JSON body is required") @Valid DailyRelease rule) {
        return schedules.setDaily(confinedTo(), seriesId, rule);
    }

    @DELETE
    @Path("/daily")
    @Operation(operationId = "clearDailyRelease", summary = "Drop the daily rule; episodes it had not released yet come out as soon as they are published")
    public Uni<ReleaseScheduleView> clearDaily(@PathParam("seriesId") UUID seriesId) {
        return schedules.clearDaily(confinedTo(), seriesId);
    }

    @PUT
    @Path("/episodes/{number}")
    @Operation(operationId = "setEpisodeRelease", summary = "One episode's release time (null: as soon as it is published and ready)")
    public Uni<ReleaseScheduleView> setEpisode(@PathParam("seriesId") UUID seriesId,
                                               @PathParam("number") @Min(1) @Max(10000) int number,
                                               @NotNull(message = "a JSON body is required") EpisodeRelease release) {
        return schedules.setEpisode(confinedTo(), seriesId, number, release.releaseAt());
    }

    /** Producers are confined to their own series; operators are not. */
    private Optional<String> confinedTo() {
        return identity.hasRole(Roles.OPERATOR) ? Optional.empty() : Optional.of(identity.getPrincipal().getName());
    }
}

package com.microdrama.analytics.rest;

import com.microdrama.analytics.DistributionIndex;
import com.microdrama.analytics.dto.DistributionScore;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Operators' ranking of series by the distribution index. */
@Path("/api/v1/admin/analytics/distribution-index")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class DistributionRankingResource {

    private final DistributionIndex index;

    DistributionRankingResource(DistributionIndex index) {
        this.index = index;
    }

    @GET
    @Operation(operationId = "getDistributionRanking", summary = "Series ranked by distribution index (day: the latest computed when absent), with components")
    public Uni<List<DistributionScore>> ranking(@QueryParam("day") String day, @QueryParam("limit") String limit) {
        LocalDate date;
        try {
            date = day == null || day.isBlank() ? null : LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("day", "must be a date such as 2026-11-25");
        }
        return index.ranking(date, PageLimit.parse(limit, 50, 500));
    }
}

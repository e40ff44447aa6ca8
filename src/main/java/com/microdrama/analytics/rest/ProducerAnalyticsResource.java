package com.microdrama.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.analytics.AnalyticsCsv;
import com.microdrama.analytics.SeriesReports;
import com.microdrama.analytics.dto.SeriesAnalytics;
import com.microdrama.core.auth.CurrentUser;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A producer's analytics of their own series (others' answer 403). */
@Path("/api/v1/producer/series/{id}/analytics")
@RolesAllowed(Roles.PRODUCER)
public class ProducerAnalyticsResource {

    static final String CSV = "text/csv";

    private final SeriesReports reports;
    private final CurrentUser user;

    ProducerAnalyticsResource(SeriesReports reports, CurrentUser user) {
        this.reports = reports;
        this.user = user;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(operationId = "getSeriesAnalytics", summary = "Per-episode table, funnel, daily series and distribution index over UTC days from..to; "
            + "the per-episode table as CSV with Accept: text/csv or format=csv")
    @APIResponse(responseCode = "200", description = "The report (JSON), or its per-episode table as CSV", content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SeriesAnalytics.class)), @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING))})
    public Uni<Response> analytics(@PathParam("id") UUID seriesId, @QueryParam("from") String from,
                                   @QueryParam("to") String to, @QueryParam("format") String format,
                                   @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean csv = csv(format, accept);
        SeriesReports.Range range = SeriesReports.Range.parse(from, to);
        return reports.of(user.id(), seriesId, range).map(report -> csv
                ? Response.ok(AnalyticsCsv.episodes(report), CSV + "; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"analytics-" + seriesId + "-"
                                + range.from() + "-" + range.to() + ".csv\"").build()
                : Response.ok(report, MediaType.APPLICATION_JSON).build());
    }

    private static boolean csv(String format, String accept) {
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw ApiException.badRequest("format", "must be csv or json");
            };
        }
        return accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
    }
}

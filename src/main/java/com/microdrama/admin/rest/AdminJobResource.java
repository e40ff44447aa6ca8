package com.microdrama.admin.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.microdrama.admin.JobEvents;
import com.microdrama.admin.JobFilter;
import com.microdrama.admin.JobMonitor;
import com.microdrama.admin.dto.JobDetail;
import com.microdrama.admin.dto.JobPage;
import com.microdrama.admin.dto.JobSummary;
import com.microdrama.admin.dto.MissingMediaItem;
import com.microdrama.transcode.dto.QueueStats;
import com.microdrama.core.auth.Roles;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageLimit;
import com.microdrama.transcode.TranscodeService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** What operators see of the transcode pipeline, and what they can do to a job: retry, cancel, prioritise. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class AdminJobResource {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final JobMonitor monitor;
    private final JobEvents events;
    private final TranscodeService transcode;
    private final Sse sse;

    AdminJobResource(JobMonitor monitor, JobEvents events, TranscodeService transcode, Sse sse) {
        this.monitor = monitor;
        this.events = events;
        this.transcode = transcode;
        this.sse = sse;
    }

    @GET
    @Path("/jobs")
    @Operation(operationId = "listJobs", summary = "Transcode jobs, newest first, filtered by state, series, episode and queue time")
    public Uni<JobPage> jobs(@QueryParam("state") @Parameter(description = "queued, running, succeeded, failed or cancelled") String state,
                             @QueryParam("seriesId") String seriesId,
                             @QueryParam("episodeId") String episodeId,
                             @QueryParam("from") @Parameter(description = "queued at or after (ISO-8601 instant)") String from,
                             @QueryParam("to") @Parameter(description = "queued before (ISO-8601 instant)") String to,
                             @QueryParam("limit") @Parameter(description = "1 to 200, default 50") String limit,
                             @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor) {
        return monitor.list(JobFilter.parse(state, seriesId, episodeId, from, to, PageLimit.parse(limit, 50, 200), cursor));
    }

    @GET
    @Path("/jobs/{id}")
    @Operation(operationId = "getJob", summary = "One job in depth: every attempt with its worker, error and ffmpeg log tail; source probe; renditions")
    public Uni<JobDetail> job(@PathParam("id") UUID id) {
        return monitor.detail(id);
    }

    @POST
    @Path("/jobs/{id}/retry")
    @Operation(operationId = "retryJob", summary = "Queue a failed or cancelled job again, with a fresh allowance of attempts (409 otherwise)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobSummary.class)))
    @APIResponse(responseCode = "409", description = "The job is not failed or cancelled")
    public Uni<JobSummary> retry(@PathParam("id") UUID id) {
        return transcode.retry(id).flatMap(x -> monitor.summary(id));
    }

    @POST
    @Path("/jobs/{id}/cancel")
    @Operation(operationId = "cancelJob", summary = "Cancel a queued job at once, or stop a running one at its next heartbeat (409 when finished)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobSummary.class)))
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public Uni<JobSummary> cancel(@PathParam("id") UUID id) {
        return transcode.cancel(id).flatMap(x -> monitor.summary(id));
    }

    /** The body of a priority change. */
    public record PriorityChange(Integer priority) {
    }

    @POST
    @Path("/jobs/{id}/priority")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setJobPriority", summary = "Set a queued or running job's priority, 0 to 1000 (producers' uploads 100, dubs 50, re-encodes "
            + "20; higher runs first); 409 once finished")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobSummary.class)))
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public Uni<JobSummary> prioritise(@PathParam("id") UUID id, PriorityChange change) {
        if (change == null || change.priority() == null) {
            throw ApiException.badRequest("priority", "is required: a whole number from 0 to 1000");
        }
        return transcode.prioritise(id, change.priority()).flatMap(x -> monitor.summary(id));
    }

    @GET
    @Path("/jobs/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "streamJobEvents", summary = "Server-Sent Events named 'job' (a job summary) on every state, progress or attempt change, "
            + "from every process; a comment every 15 s keeps proxies from closing the stream")
    @APIResponse(responseCode = "200", description = "An endless text/event-stream; each event named job carries a JobSummary as JSON", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    public Multi<OutboundSseEvent> events() {
        Multi<OutboundSseEvent> changes = events.stream().map(job -> sse.newEventBuilder()
                .name("job").id(job.id() + "@" + job.updatedAt()).mediaType(MediaType.APPLICATION_JSON_TYPE).data(job)
                .build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().startingAfter(KEEP_ALIVE).every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        Multi<OutboundSseEvent> hello = Multi.createFrom().item(sse.newEventBuilder().comment("connected").build());
        return Multi.createBy().concatenating().streams(hello,
                Multi.createBy().merging().streams(changes, keepAlive));
    }

    @GET
    @Path("/missing-media")
    @Operation(operationId = "listMissingMedia", summary = "Ready versions whose media viewers asked for and storage did not have (database and store out "
            + "of step), most recently seen first; an entry clears once the media is read again")
    public Uni<java.util.List<MissingMediaItem>> missingMedia() {
        return monitor.missingMedia();
    }

    @GET
    @Path("/stats")
    @Operation(operationId = "getQueueStats", summary = "Queue depth per state, oldest queued job's age, last hour's outcomes, mean encode speed, workers")
    public Uni<QueueStats> stats() {
        return monitor.stats();
    }
}

package com.microdrama.admin;

import com.microdrama.admin.dto.JobDetail;
import com.microdrama.admin.dto.JobPage;
import com.microdrama.admin.dto.JobSummary;
import com.microdrama.catalogue.EpisodeVersions;
import com.microdrama.catalogue.VersionQuality;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import com.microdrama.admin.dto.MissingMediaItem;
import com.microdrama.playback.MissingMedia;
import com.microdrama.transcode.JobReads;
import com.microdrama.transcode.JobReads.JobRow;
import com.microdrama.transcode.dto.QueueStats;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What operators see of the pipeline: the queue's jobs (transcode's) labelled with the episode each one makes (the
 * catalogue's). A filter by series or episode becomes a filter by that series' or episode's versions.
 */
@ApplicationScoped
public class JobMonitor {

    private final JobReads jobs;
    private final EpisodeVersions versions;
    private final VersionQuality quality;
    private final MissingMedia missing;

    JobMonitor(JobReads jobs, EpisodeVersions versions, VersionQuality quality, MissingMedia missing) {
        this.jobs = jobs;
        this.versions = versions;
        this.quality = quality;
        this.missing = missing;
    }

    public Uni<JobPage> list(JobFilter filter) {
        Uni<List<UUID>> scope = filter.seriesId() == null && filter.episodeId() == null
                ? Uni.createFrom().nullItem()
                : versions.versionsOf(filter.seriesId(), filter.episodeId());
        return scope.flatMap(versionIds -> jobs.page(new JobReads.Filter(filter.state(), versionIds, filter.from(),
                        filter.to(), filter.cursor(), filter.limit() + 1)))
                .flatMap(this::label)
                .map(summaries -> {
                    List<JobSummary> items = new ArrayList<>(summaries);
                    String next = null;
                    if (items.size() > filter.limit()) {
                        items.remove(items.size() - 1);
                        JobSummary last = items.get(items.size() - 1);
                        next = PageCursor.after(last.queuedAt(), last.id()).encode();
                    }
                    return new JobPage(items, next);
                });
    }

    /** One job's summary; a failure naming the job when it does not exist. */
    public Uni<JobSummary> summary(UUID jobId) {
        return row(jobId).flatMap(row -> label(List.of(row))).map(summaries -> summaries.get(0));
    }

    public Uni<JobDetail> detail(UUID jobId) {
        return row(jobId).flatMap(row -> Uni.combine().all().unis(label(List.of(row)), jobs.attempts(jobId),
                        versions.source(row.versionId()), versions.renditions(row.versionId()),
                        quality.report(row.versionId()), missing.of(row.versionId())).asTuple()
                .map(t -> new JobDetail(t.getItem1().get(0), row.errorLogTail(), row.nextRunAt(),
                        row.heartbeatAt(), row.leaseExpiresAt(), t.getItem2(), t.getItem3().orElse(null),
                        t.getItem4(), t.getItem5(), t.getItem6().orElse(null))));
    }

    /** Ready versions viewers could not play because storage lacks their media, most recently seen first. */
    public Uni<List<MissingMediaItem>> missingMedia() {
        return missing.list().flatMap(sightings -> versions.labels(sightings.stream()
                        .map(MissingMedia.Sighting::versionId).toList())
                .map(labels -> sightings.stream().map(s -> MissingMediaItem.of(s, labels.get(s.versionId()))).toList()));
    }

    public Uni<QueueStats> stats() {
        return jobs.stats();
    }

    private Uni<JobRow> row(UUID jobId) {
        return jobs.find(jobId).map(found -> found.orElseThrow(() -> ApiException.notFound("job", jobId)));
    }

    private Uni<List<JobSummary>> label(List<JobRow> rows) {
        return versions.labels(rows.stream().map(JobRow::versionId).distinct().toList())
                .map(labels -> rows.stream().map(row -> JobSummary.of(row, labels.get(row.versionId()))).toList());
    }
}

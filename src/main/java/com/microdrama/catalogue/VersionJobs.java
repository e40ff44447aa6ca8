package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.ProducerEpisode;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * What the catalogue needs to know of the pipeline: the job that makes each version, for the producer's view.
 * Declared here and implemented by transcode, which stands above the catalogue in the data's path.
 */
public interface VersionJobs {

    /** The job of each given version that has one, by version id. */
    Uni<Map<UUID, ProducerEpisode.Job>> jobsOf(Collection<UUID> versionIds);
}

package com.microdrama.transcode;

import java.util.UUID;

/**
 * A job leased by one worker. The attempt number is the fencing token: every write a worker makes is guarded by
 * (owner, attempt), so a worker that lost its lease can no longer touch the job.
 */
public record ClaimedJob(UUID id, UUID versionId, int attempt, int maxAttempts, String worker, UUID trackId) {

    public ClaimedJob(UUID id, UUID versionId, int attempt, int maxAttempts, String worker) {
        this(id, versionId, attempt, maxAttempts, worker, null);
    }

    /** An audio-only job making one dub ({@code trackId}) of a ready version, not the version's ladder. */
    public boolean dub() {
        return trackId != null;
    }
}

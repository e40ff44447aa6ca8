package com.microdrama.transcode;

import java.util.UUID;

/**
 * A job leased by one worker. The attempt number is the fencing token: every write a worker makes is guarded by
 * (owner, attempt), so a worker that lost its lease can no longer touch the job.
 */
public record ClaimedJob(UUID id, UUID versionId, int attempt, int maxAttempts, String worker) {
}

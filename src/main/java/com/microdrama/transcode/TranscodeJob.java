package com.microdrama.transcode;

import com.microdrama.core.persistence.LowercaseEnumConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** A row of the durable job queue: one per episode version, leased by one worker at a time. */
@Entity
@Table(name = "transcode_job")
public class TranscodeJob {

    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        /** Every state as the database and the API spell it, in lifecycle order. */
        public static final List<String> NAMES = Arrays.stream(values()).map(State::wire).toList();

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static class Column extends LowercaseEnumConverter<State> {
            public Column() {
                super(State.class);
            }
        }
    }

    @Id
    public UUID id;
    @Column(name = "version_id")
    public UUID versionId;
    @Convert(converter = State.Column.class)
    public State state;
    public int attempts;
    @Column(name = "max_attempts")
    public int maxAttempts;
    @Column(name = "next_run_at")
    public Instant nextRunAt;
    @Column(name = "lease_owner")
    public String leaseOwner;
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    public int progress;
    @Column(name = "error_message")
    public String errorMessage;
    @Column(name = "error_log_tail")
    public String errorLogTail;
    @Column(name = "encode_speed")
    public Float encodeSpeed;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    @Column(name = "queued_at")
    public Instant queuedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}

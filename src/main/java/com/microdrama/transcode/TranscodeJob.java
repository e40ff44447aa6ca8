package com.microdrama.transcode;

import com.microdrama.core.persistence.LowercaseEnumConverter;
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
    public UUID versionId;
    @Convert(converter = State.Column.class)
    public State state;
    public int attempts;
    public int maxAttempts;
    public Instant nextRunAt;
    public String leaseOwner;
    public Instant leaseExpiresAt;
    public Instant heartbeatAt;
    public int progress;
    public String errorMessage;
    public String errorLogTail;
    public Float encodeSpeed;
    public boolean cancelRequested;
    public Instant queuedAt;
    public Instant startedAt;
    public Instant finishedAt;
    public Instant updatedAt;
}

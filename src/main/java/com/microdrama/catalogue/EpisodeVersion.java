package com.microdrama.catalogue;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One uploaded source of an episode and what the pipeline made of it. Re-uploading creates a new version; the
 * episode keeps pointing at the old one until the new one is READY.
 */
@Entity
@Table(name = "episode_version")
public class EpisodeVersion {

    public enum State {
        QUEUED, TRANSCODING, READY, FAILED, CANCELLED;

        public static class Column extends com.microdrama.core.persistence.LowercaseEnumConverter<State> {
            public Column() {
                super(State.class);
            }
        }
    }

    @Id
    public UUID id;
    public UUID episodeId;
    public int versionNumber;
    public String sourceKey;
    public long sourceSize;
    public String sourceSha256;
    /** What ffprobe found in the source (codec, size, duration, frame rate, audio). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String probe;
    @Convert(converter = State.Column.class)
    public State state;
    public String failureReason;
    public String hlsPrefix;
    public String posterKey;
    public String thumbnailKey;
    public byte[] encryptionKey;
    public Integer durationMs;
    public Instant createdAt;
    public Instant readyAt;
}

package com.microdrama.catalogue;

import jakarta.persistence.Column;
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
    @Column(name = "episode_id")
    public UUID episodeId;
    @Column(name = "version_number")
    public int versionNumber;
    @Column(name = "source_key")
    public String sourceKey;
    @Column(name = "source_size")
    public long sourceSize;
    @Column(name = "source_sha256")
    public String sourceSha256;
    /** What ffprobe found in the source (codec, size, duration, frame rate, audio). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String probe;
    @Convert(converter = State.Column.class)
    public State state;
    @Column(name = "failure_reason")
    public String failureReason;
    @Column(name = "hls_prefix")
    public String hlsPrefix;
    @Column(name = "poster_key")
    public String posterKey;
    @Column(name = "thumbnail_key")
    public String thumbnailKey;
    @Column(name = "encryption_key")
    public byte[] encryptionKey;
    @Column(name = "duration_ms")
    public Integer durationMs;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "ready_at")
    public Instant readyAt;
}

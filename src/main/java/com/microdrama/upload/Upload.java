package com.microdrama.upload;

import com.microdrama.core.persistence.LowercaseEnumConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One attempt to bring a source file into object storage, direct (presigned parts) or streamed through the API. */
@Entity
@Table(name = "upload")
public class Upload {

    public enum State {
        PENDING, COMPLETING, COMPLETED, ABORTED, FAILED;

        public static class Column extends LowercaseEnumConverter<State> {
            public Column() {
                super(State.class);
            }
        }
    }

    public enum Method {
        DIRECT, STREAMED;

        public static class Column extends LowercaseEnumConverter<Method> {
            public Column() {
                super(Method.class);
            }
        }
    }

    @Id
    public UUID id;
    public UUID seriesId;
    public int episodeNumber;
    public String producerId;
    public String objectKey;
    public String s3UploadId;
    @Convert(converter = Method.Column.class)
    public Method method;
    public Long size;
    public Long partSize;
    public String contentType;
    public String sha256;
    @Convert(converter = State.Column.class)
    public State state;
    public String failureReason;
    public UUID versionId;
    public Instant createdAt;
    public Instant expiresAt;
    public Instant finishedAt;
    /** Failed or aborted, but what it stored is still in storage: {@link UploadDiscards} removes it. */
    public boolean discardPending;

    public int partCount() {
        return (int) ((size + partSize - 1) / partSize);
    }

    /** The exact size part {@code number} must have: every part is full except the last. */
    public long expectedPartSize(int number) {
        return number < partCount() ? partSize : size - (long) (partCount() - 1) * partSize;
    }
}

package com.microdrama.transcode;

/**
 * How soon a kind of job runs: higher first, then the earliest due. A producer's new episode (or new version of one)
 * comes before batch work such as a dub or a re-encode of the catalogue; operators may set any job's priority in
 * {@link #MIN}..{@link #MAX} (TranscodeService#prioritise).
 */
public enum JobPriority {
    PRODUCER_UPLOAD(100), DUB(50), REENCODE(20);

    public static final int MIN = 0;
    public static final int MAX = 1000;

    private final int value;

    JobPriority(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}

package com.microdrama.transcode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Where a transcode job stands, in lifecycle order. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** Every state as the database and the API spell it, in lifecycle order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(JobState::wire).toList();

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

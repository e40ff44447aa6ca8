package com.microdrama.transcode;

/** The media itself cannot be transcoded: retrying would fail the same way, so the job fails at once. */
public class MediaFailure extends RuntimeException {
    public MediaFailure(String message) {
        super(message);
    }
}

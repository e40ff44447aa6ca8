package com.microdrama.core.media;

/** A source that will never become an episode, with the reason in words a producer understands. */
public class MediaRejected extends Exception {

    public MediaRejected(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}

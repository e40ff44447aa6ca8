package com.microdrama.core.http;

/**
 * A route whose requests may rightly take longer than the {@link RequestDeadline} (an upload, or the completion of
 * one, which reads the whole file), declared as a bean by the feature that serves it.
 */
public interface SlowRoute {

    /** Whether a request path is this route's. */
    boolean matches(String path);
}

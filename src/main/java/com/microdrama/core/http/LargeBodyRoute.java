package com.microdrama.core.http;

/**
 * A route that accepts request bodies above the default limit (a file upload), declared as a bean by the feature
 * that serves it, so that {@link BodySizeGuard} holds every other route to the small default without knowing them.
 */
public interface LargeBodyRoute extends SlowRoute {

    /** The largest body this route accepts, in bytes. */
    long maxSize();

    /** Why a body that declares {@code declared} bytes is refused, in the words of this route's clients. */
    String tooLarge(long declared);
}

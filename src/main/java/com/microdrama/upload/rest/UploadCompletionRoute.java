package com.microdrama.upload.rest;

import com.microdrama.core.http.SlowRoute;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/** Completing a direct upload reads the whole file for the probe: it may take longer than the request deadline. */
@ApplicationScoped
public class UploadCompletionRoute implements SlowRoute {

    private static final Pattern COMPLETE = Pattern.compile("^/api/v1/producer/uploads/[^/]+/complete/?$");

    @Override
    public boolean matches(String path) {
        return COMPLETE.matcher(path).matches();
    }
}

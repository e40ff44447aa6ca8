package com.microdrama.upload.rest;

import com.microdrama.core.http.LargeBodyRoute;
import com.microdrama.upload.UploadConfig;
import com.microdrama.upload.UploadLimits;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/**
 * The streamed source upload and a dub's upload take bodies up to upload.max-size; every other route keeps the small
 * default.
 */
@ApplicationScoped
public class SourceBodyLimit implements LargeBodyRoute {

    private static final Pattern SOURCE = Pattern.compile(EpisodeSourceResource.PATH_PATTERN);
    private static final Pattern DUB = Pattern.compile(TrackResource.AUDIO_PATH_PATTERN);

    private final long max;

    SourceBodyLimit(UploadConfig config) {
        this.max = config.maxSize().asLongValue();
    }

    @Override
    public boolean matches(String path) {
        return SOURCE.matcher(path).matches() || DUB.matcher(path).matches();
    }

    @Override
    public long maxSize() {
        return max;
    }

    @Override
    public String tooLarge(long declared) {
        return UploadLimits.declaredTooLarge(declared, max);
    }
}

package com.microdrama.core.media;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

@Readiness
@ApplicationScoped
public class FfmpegHealthCheck implements HealthCheck {

    private final MediaBinaries binaries;

    FfmpegHealthCheck(MediaBinaries binaries) {
        this.binaries = binaries;
    }

    @Override
    public HealthCheckResponse call() {
        var ffmpeg = binaries.ffmpeg();
        var ffprobe = binaries.ffprobe();
        var response = HealthCheckResponse.named("ffmpeg")
                .withData("ffmpeg", ffmpeg.map(Object::toString).orElse("not found"))
                .withData("ffprobe", ffprobe.map(Object::toString).orElse("not found"));
        return response.status(ffmpeg.isPresent() && ffprobe.isPresent()).build();
    }
}

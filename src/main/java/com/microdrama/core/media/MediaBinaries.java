package com.microdrama.core.media;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Resolves the configured ffmpeg/ffprobe to executable files, the way a shell would. */
@ApplicationScoped
public class MediaBinaries {

    private final MediaConfig config;

    MediaBinaries(MediaConfig config) {
        this.config = config;
    }

    public Optional<Path> ffmpeg() {
        return resolve(config.ffmpegPath());
    }

    public Optional<Path> ffprobe() {
        return resolve(config.ffprobePath());
    }

    static Optional<Path> resolve(String nameOrPath) {
        if (nameOrPath.contains(File.separator)) {
            Path path = Path.of(nameOrPath);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return Stream.of(searchPath.split(File.pathSeparator))
                .map(dir -> Path.of(dir, nameOrPath))
                .filter(Files::isExecutable)
                .findFirst();
    }
}

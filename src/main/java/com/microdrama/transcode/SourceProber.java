package com.microdrama.transcode;

import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.SideData;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.microdrama.core.media.MediaBinaries;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * Reads the facts the ladder needs from the worker's local copy. The source was validated at upload; this probe
 * runs with the same restrictions (local file only) because the worker must not trust stored metadata blindly.
 */
@ApplicationScoped
public class SourceProber {

    private final MediaBinaries binaries;

    SourceProber(MediaBinaries binaries) {
        this.binaries = binaries;
    }

    public SourceFacts probe(Path source) {
        FFprobeResult result;
        try {
            result = FFprobe.atPath(binaries.ffprobe().orElseThrow().getParent())
                    .addArguments("-protocol_whitelist", "file")
                    .setShowStreams(true)
                    .setShowFormat(true)
                    .setInput("file:" + source.toAbsolutePath())
                    .execute();
        } catch (JaffreeException e) {
            throw new MediaFailure("ffprobe cannot read the source: " + e.getMessage());
        }
        Stream video = result.getStreams().stream()
                .filter(s -> s.getCodecType() == StreamType.VIDEO)
                .findFirst()
                .orElseThrow(() -> new MediaFailure("the source has no video stream"));
        boolean audio = result.getStreams().stream().anyMatch(s -> s.getCodecType() == StreamType.AUDIO);
        int rotation = rotation(video);
        boolean quarterTurn = Math.abs(rotation) % 180 == 90;
        int width = quarterTurn ? video.getHeight() : video.getWidth();
        int height = quarterTurn ? video.getWidth() : video.getHeight();
        double frameRate = video.getAvgFrameRate() != null && video.getAvgFrameRate().doubleValue() > 0
                ? video.getAvgFrameRate().doubleValue()
                : video.getRFrameRate().doubleValue();
        Float duration = result.getFormat().getDuration();
        return new SourceFacts(width, height, frameRate, duration == null ? 0 : duration, audio);
    }

    private static int rotation(Stream video) {
        if (video.getSideDataList() != null) {
            for (SideData side : video.getSideDataList()) {
                if (side.getRotation() != null) {
                    return side.getRotation();
                }
            }
        }
        String tag = video.getTag("rotate");
        return tag == null ? 0 : Integer.parseInt(tag.strip());
    }
}

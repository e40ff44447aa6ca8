package com.microdrama.upload.tracks;

import com.microdrama.catalogue.MediaTrack;
import com.microdrama.catalogue.MediaTracks;
import com.microdrama.catalogue.MediaTracks.Target;
import com.microdrama.core.i18n.Languages;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.storage.ObjectStorage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A producer's subtitle file becomes a live HLS subtitle rendition within the request: validated, cut into
 * WebVTT segments aligned with the video's, uploaded under a fresh directory, and made live in one commit. No
 * video is touched. A refused file writes nothing; a failure after the first write removes what it wrote.
 */
@ApplicationScoped
public class SubtitleIntake {

    private final MediaTracks tracks;
    private final ObjectStorage storage;
    private final TracksConfig config;

    SubtitleIntake(MediaTracks tracks, ObjectStorage storage, TracksConfig config) {
        this.tracks = tracks;
        this.storage = storage;
        this.config = config;
    }

    public TrackView put(String producerId, UUID seriesId, int number, String language, byte[] file) {
        String tag = Languages.normalise("language", language);
        Target target = Blocking.await(() -> tracks.target(producerId, seriesId, number));
        SubtitleParser.Parsed parsed;
        try {
            parsed = SubtitleParser.parse(file, target.durationMs(), config.subtitleMaxBytes());
        } catch (SubtitleRejected e) {
            throw e.toApi();
        }
        UUID id = UUID.randomUUID();
        String dir = "s-" + id;
        String prefix = target.hlsPrefix() + dir + "/";
        List<String> written = new ArrayList<>();
        try {
            VideoTimeline video = VideoTimeline.of(storage, target);
            WebVttSegments.Segmented cut = WebVttSegments.cut(parsed.cues(), video.segmentSeconds(),
                    video.targetDuration(), video.firstPts());
            for (int i = 0; i < cut.segments().size(); i++) {
                String key = prefix + WebVttSegments.name(i);
                written.add(key);
                storage.put(cut.segments().get(i).getBytes(StandardCharsets.UTF_8), key, "text/vtt");
            }
            written.add(prefix + "index.m3u8");
            storage.put(cut.playlist().getBytes(StandardCharsets.UTF_8), prefix + "index.m3u8",
                    "application/vnd.apple.mpegurl");
            List<String> replaced = Blocking.await(() -> tracks.goLive(new MediaTracks.NewTrack(id,
                    target.versionId(), MediaTrack.SUBTITLES, tag, Languages.nativeName(tag), dir, null, null)));
            Log.infof("Subtitles %s of episode %s live (%d cues, %s, replacing %s)", tag, target.episodeId(),
                    parsed.cues().size(), parsed.format(), replaced);
            return new TrackView(id, MediaTrack.SUBTITLES, tag, Languages.nativeName(tag), MediaTrack.READY, null,
                    parsed.cues().size());
        } catch (RuntimeException e) {
            removeQuietly(written);
            throw e;
        } catch (Exception e) {
            removeQuietly(written);
            throw new IllegalStateException("subtitles could not be stored: " + e.getMessage(), e);
        }
    }

    private void removeQuietly(List<String> keys) {
        try {
            storage.delete(keys);
        } catch (Exception e) {
            Log.warnf("Could not remove %d objects of an unfinished track: %s", keys.size(), e.getMessage());
        }
    }
}

package com.microdrama.upload.tracks;

import com.microdrama.catalogue.MediaTracks;
import com.microdrama.catalogue.MediaTracks.Target;
import com.microdrama.core.i18n.Languages;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.storage.ObjectStorage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Takes a live subtitle or dub track off an episode: the row goes in one commit, its objects after it. */
@ApplicationScoped
public class TrackRemoval {

    private final MediaTracks tracks;
    private final ObjectStorage storage;

    TrackRemoval(MediaTracks tracks, ObjectStorage storage) {
        this.tracks = tracks;
        this.storage = storage;
    }

    public void remove(String producerId, UUID seriesId, int number, String kind, String language) {
        String tag = Languages.normalise("language", language);
        Target target = Blocking.await(() -> tracks.target(producerId, seriesId, number));
        String dir = Blocking.await(() -> tracks.remove(target.versionId(), kind, tag));
        try {
            storage.delete(storage.list(target.hlsPrefix() + dir + "/"));
        } catch (Exception e) {
            Log.warnf("Objects of removed track %s stay in storage: %s", dir, e.getMessage());
        }
    }
}

package com.microdrama.playback;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/** The series a viewer may see (any but drafts), as playback shows them; implemented by the catalogue. */
public interface VisibleSeries {

    record Card(UUID id, String slug, String title) {
    }

    /** The visible ones among {@code ids}, in no particular order. */
    Uni<List<Card>> among(List<UUID> ids);
}

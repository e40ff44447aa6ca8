package com.microdrama.catalogue;

import io.vertx.mutiny.sqlclient.Row;
import java.util.UUID;

/** One episode version as the features around the catalogue see it: what was uploaded and where it stands. */
public record VersionView(UUID id, UUID episodeId, int versionNumber, String state, long sourceSize,
                          String sourceSha256, String probeJson) {

    /** Reads the columns id, episode_id, version_number, state, source_size, source_sha256 and probe (as text). */
    static VersionView of(Row row) {
        return new VersionView(row.getUUID("id"), row.getUUID("episode_id"), row.getInteger("version_number"),
                row.getString("state"), row.getLong("source_size"), row.getString("source_sha256"),
                row.getString("probe"));
    }
}

package com.microdrama.catalogue;

import com.microdrama.core.persistence.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * A version's quality report ({@code rendition_quality}): what each published rung costs and how close it stays to
 * the source. Written by the transcode job in the transaction that makes the version READY; read by producers and
 * operators. It records facts about outputs, never state, so it sits beside {@link EpisodeLifecycle}, not in it.
 */
@ApplicationScoped
public class VersionQuality {

    /**
     * One rung: its average bitrate as delivered (bits/s, video and audio), its SSIM (0–1) and PSNR (dB) against the
     * source scaled to its size, the number of frames compared, and how its bits were chosen (per-title or fixed).
     */
    public record RungReport(String rendition, int width, int height, int bitrate, double ssim, double psnr,
                             int sampledFrames, String rateControl) {
    }

    private final Pool pool;

    VersionQuality(Pool pool) {
        this.pool = pool;
    }

    /** Replaces the version's report (a retried job writes it afresh), in the caller's transaction. */
    public Uni<Void> record(SqlClient tx, UUID versionId, List<RungReport> rungs) {
        Uni<?> cleared = tx.preparedQuery("delete from rendition_quality where version_id = $1").execute(Tuple.of(versionId));
        if (rungs.isEmpty()) {
            return cleared.replaceWithVoid();
        }
        return cleared.flatMap(x -> tx.preparedQuery("""
                        insert into rendition_quality (version_id, rendition_name, width, height, bitrate, ssim, psnr,
                            sampled_frames, rate_control)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        """).executeBatch(rungs.stream().map(r -> Tuple.from(List.of(versionId, r.rendition(), r.width(),
                        r.height(), r.bitrate(), r.ssim(), r.psnr(), r.sampledFrames(), r.rateControl()))).toList()))
                .replaceWithVoid();
    }

    /** The version's report, tallest rung first; empty when it has none (not ready yet, or measured off). */
    public Uni<List<RungReport>> report(UUID versionId) {
        return pool.preparedQuery("""
                        select rendition_name, width, height, bitrate, ssim, psnr, sampled_frames, rate_control
                        from rendition_quality where version_id = $1 order by height desc
                        """).execute(Tuple.of(versionId))
                .map(rows -> Rows.stream(rows).map(r -> new RungReport(r.getString("rendition_name"),
                        r.getInteger("width"), r.getInteger("height"), r.getInteger("bitrate"), r.getDouble("ssim"),
                        r.getDouble("psnr"), r.getInteger("sampled_frames"), r.getString("rate_control"))).toList());
    }
}

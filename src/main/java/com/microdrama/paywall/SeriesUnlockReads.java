package com.microdrama.paywall;

import com.microdrama.core.persistence.BatchedReads;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Viewers' unlocks of series read from PostgreSQL (when Redis does not know them, or is away), many in one
 * statement ({@link BatchedReads}: up to {@link #BATCH} a statement while {@link #MAX_IN_FLIGHT} are under way).
 * Reading one statement per read, playback starts with Redis away ran at 0.37 of the cached rate
 * (docs/benchmarks.md, issue 15).
 */
@ApplicationScoped
class SeriesUnlockReads {

    static final int MAX_IN_FLIGHT = 2;
    static final int BATCH = 200;

    private final BatchedReads<ViewerSeries, WalletStore.SeriesUnlocks> reads;

    SeriesUnlockReads(Pool pool) {
        this.reads = new BatchedReads<>(MAX_IN_FLIGHT, BATCH, batch -> WalletStore.seriesUnlocks(pool,
                batch.stream().map(ViewerSeries::viewerId).toList(), batch.stream().map(ViewerSeries::seriesId).toList()));
    }

    Uni<WalletStore.SeriesUnlocks> read(String viewerId, UUID seriesId) {
        return reads.read(new ViewerSeries(viewerId, seriesId));
    }
}

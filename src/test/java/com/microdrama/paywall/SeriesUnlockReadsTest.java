package com.microdrama.paywall;

import static com.microdrama.support.Api.playableSeries;
import static com.microdrama.support.Api.sql;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL reads of viewers' unlocks, many in one statement: every reader gets its own viewer's and series'
 * answer, however the reads were grouped, with more readers at once than a statement takes.
 */
@QuarkusTest
class SeriesUnlockReadsTest {

    @Inject
    AgroalDataSource db;
    @Inject
    SeriesUnlockReads reads;

    @Test
    void many_reads_at_once_each_get_their_own_viewers_unlocks() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        List<Api.PlayableSeries> series = List.of(playableSeries(db, producer, "batch-read", 0, 10, 5),
                playableSeries(db, producer, "batch-read", 0, 10, 5));
        Instant vipUntil = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MICROS);
        int viewers = 250;
        List<String> viewerIds = new ArrayList<>();
        List<Set<Integer>> expected = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            String viewer = Tokens.newSubject(Roles.VIEWER);
            viewerIds.add(viewer);
            Api.PlayableSeries s = series.get(v % 2);
            Set<Integer> numbers = new HashSet<>();
            for (int n = 1; n <= 5; n++) {
                if ((v >> (n - 1) & 1) == 1) {
                    numbers.add(n);
                    sql(db, "insert into unlock (viewer_id, episode_id, series_id, episode_number, method) "
                            + "values (?, ?, ?, ?, 'grant')", viewer, UUID.fromString(s.episodes().get(n - 1)),
                            UUID.fromString(s.id()), n);
                }
            }
            if (v % 7 == 0) {
                sql(db, "insert into wallet (viewer_id, vip_until) values (?, ?)", viewer, Timestamp.from(vipUntil));
            }
            expected.add(numbers);
        }

        // All reads asked before any is answered: they queue behind the first statements and go out in groups.
        List<Uni<WalletStore.SeriesUnlocks>> asked = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            asked.add(reads.read(viewerIds.get(v), UUID.fromString(series.get(v % 2).id())).memoize().indefinitely());
        }
        asked.forEach(u -> u.subscribe().with(ignored -> { }, ignored -> { }));
        for (int v = 0; v < viewers; v++) {
            WalletStore.SeriesUnlocks answer = asked.get(v).await().atMost(Duration.ofSeconds(30));
            assertThat(answer.numbers()).as("viewer %d's unlocks", v).isEqualTo(expected.get(v));
            assertThat(answer.vipUntil()).as("viewer %d's VIP pass", v)
                    .isEqualTo(v % 7 == 0 ? Optional.of(vipUntil) : Optional.empty());
            // The same viewer in the other series: nothing unlocked there.
            assertThat(reads.read(viewerIds.get(v), UUID.fromString(series.get((v + 1) % 2).id()))
                    .await().atMost(Duration.ofSeconds(10)).numbers()).isEmpty();
        }
    }
}

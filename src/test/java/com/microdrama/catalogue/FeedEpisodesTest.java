package com.microdrama.catalogue;

import static com.microdrama.support.Api.playableSeries;
import static com.microdrama.support.Api.sql;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.catalogue.export.PlaybackCatalogue;
import com.microdrama.core.auth.Roles;
import com.microdrama.playback.PlayableEpisodes;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The feed's in-memory resume points answer exactly what the catalogue's SQL answers, edge by edge. */
@QuarkusTest
class FeedEpisodesTest {

    @Inject
    AgroalDataSource db;
    @Inject
    FeedEpisodes memory;
    @Inject
    PlaybackCatalogue database;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void in_memory_resume_points_equal_the_sql_ones() {
        // a: 4 episodes, 2 unpublished, 3 scheduled ahead; b: 2 episodes; c: a series turned back into a draft;
        // d: 3 episodes, 3 without a ready version.
        Api.PlayableSeries a = playableSeries(db, producer, "mem", 3, 10, 4);
        Api.PlayableSeries b = playableSeries(db, producer, "mem", 3, 10, 2);
        Api.PlayableSeries c = playableSeries(db, producer, "mem", 3, 10, 2);
        Api.PlayableSeries d = playableSeries(db, producer, "mem", 3, 10, 3);
        sql(db, "update episode set published = false where id = ?", id(a, 1));
        sql(db, "update episode set release_at = ? where id = ?", Timestamp.from(Instant.now().plusSeconds(3600)), id(a, 2));
        sql(db, "update series set status = 'draft' where id = ?", UUID.fromString(c.id()));
        sql(db, "update episode set current_version_id = null where id = ?", id(d, 2));

        List<List<PlayableEpisodes.Watched>> histories = List.of(
                List.of(watched(a, 0, true)),                       // finished 1: 2 unpublished, 3 ahead, so 4
                List.of(watched(a, 1, false)),                      // in an unpublished episode: the next visible
                List.of(watched(a, 3, true), watched(a, 0, false)), // the most recent of a series decides: finished
                List.of(watched(b, 1, true), watched(b, 0, false)), // b seen to the end
                List.of(watched(b, 0, false), watched(c, 0, false), watched(d, 1, true)), // c left out; d: 3 not ready
                List.of(watched(d, 0, true), watched(a, 0, false), watched(b, 0, true)),
                List.of(new PlayableEpisodes.Watched(UUID.randomUUID(), false), watched(b, 0, false)));
        for (List<PlayableEpisodes.Watched> history : histories) {
            List<PlayableEpisodes.Resume> expected = database.resume(history).await().indefinitely();
            assertThat(memory.resume(history).await().indefinitely()).as("history %s", history).isEqualTo(expected);
            // and once more from the copies alone
            assertThat(memory.resume(history).await().indefinitely()).isEqualTo(expected);
        }
        assertThat(memory.resume(histories.get(0)).await().indefinitely()).extracting(PlayableEpisodes.Resume::episodeNumber)
                .containsExactly(4);
    }

    @Test
    void a_change_made_anywhere_reaches_the_copies_within_moments() throws InterruptedException {
        Api.PlayableSeries s = playableSeries(db, producer, "mem-change", 1, 10, 2);
        UUID series = UUID.fromString(s.id());
        FeedEpisodes.FeedEpisode before = memory.firstOfSeries(List.of(series)).await().indefinitely().get(series);
        assertThat(before.title()).isEqualTo("Episode 1");
        assertThat(memory.byEpisode(List.of(id(s, 1))).await().indefinitely().get(id(s, 1)).price()).isEqualTo(10);

        // By hand, as another instance or an operator would: only the catalogue's change announcement can tell.
        sql(db, "update episode set title = 'Renamed' where id = ?", id(s, 0));
        sql(db, "update series set coin_price = 25 where id = ?", series);
        long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (!"Renamed".equals(memory.firstOfSeries(List.of(series)).await().indefinitely().get(series).title())
                || memory.byEpisode(List.of(id(s, 1))).await().indefinitely().get(id(s, 1)).price() != 25) {
            assertThat(System.nanoTime()).as("the feed's copy changed within 1.5 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static UUID id(Api.PlayableSeries s, int index) {
        return UUID.fromString(s.episodes().get(index));
    }

    private static PlayableEpisodes.Watched watched(Api.PlayableSeries s, int index, boolean completed) {
        return new PlayableEpisodes.Watched(id(s, index), completed);
    }
}

package com.microdrama.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aligned day blocks an answer merges tile every range exactly, and few of them do. */
class UniqueViewerBlocksTest {

    @Test
    void every_range_up_to_the_longest_is_tiled_exactly_by_aligned_blocks() {
        LocalDate start = LocalDate.of(2026, 1, 1);
        int most30 = 0;
        for (int offset = 0; offset < 200; offset++) {
            for (int length = 1; length <= SeriesReports.MAX_DAYS; length++) {
                LocalDate from = start.plusDays(offset);
                LocalDate to = from.plusDays(length - 1);
                List<UniqueViewers.Block> blocks = UniqueViewers.blocks(from, to);
                List<Long> covered = new ArrayList<>();
                for (UniqueViewers.Block b : blocks) {
                    long size = 1L << b.level();
                    assertThat(b.level()).isBetween(0, UniqueViewers.BLOCK_LEVELS);
                    assertThat(b.first() % size).as("block %s aligned", b).isZero();
                    for (long d = b.first(); d < b.first() + size; d++) {
                        covered.add(d);
                    }
                }
                List<Long> expected = from.datesUntil(to.plusDays(1)).map(LocalDate::toEpochDay).toList();
                assertThat(covered).as("%s..%s", from, to).isEqualTo(expected);
                assertThat(blocks).hasSizeLessThanOrEqualTo(10);
                if (length == 30) {
                    most30 = Math.max(most30, blocks.size());
                }
            }
        }
        assertThat(most30).isEqualTo(8);
    }

    @Test
    void a_one_day_block_is_the_day_sketch_the_rollup_reads() {
        java.util.UUID episode = java.util.UUID.randomUUID();
        LocalDate day = LocalDate.of(2026, 11, 25);
        assertThat(UniqueViewers.episodeRangeKeys(episode, day, day)).containsExactly(
                UniqueViewers.episodeKey(episode, "day", day.atStartOfDay().toInstant(java.time.ZoneOffset.UTC)));
    }
}

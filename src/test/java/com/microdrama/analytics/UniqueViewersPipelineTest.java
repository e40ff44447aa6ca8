package com.microdrama.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A rollup of a busy minute touches thousands of sketches: more commands than the Redis client lets wait on one
 * connection (2,048). They must all land, in batches, and every count must come back in order.
 */
@QuarkusTest
class UniqueViewersPipelineTest {

    @Inject
    UniqueViewers viewers;

    @Test
    void thousands_of_sketches_are_written_and_counted_in_batches() {
        UUID series = UUID.randomUUID();
        Instant at = Instant.now();
        List<UniqueViewers.Seen> seen = new ArrayList<>();
        List<UUID> episodes = new ArrayList<>();
        // 1,200 episodes x 8 sketches (hour, day, six day blocks) x 2 commands: 19,200; and 1,200 counts. Both batched.
        for (int e = 0; e < 1_200; e++) {
            UUID episode = UUID.randomUUID();
            episodes.add(episode);
            for (int v = 0; v <= e % 3; v++) {
                seen.add(new UniqueViewers.Seen(episode, series, "pipeline-viewer-" + v, at));
            }
        }

        Set<String> touched = viewers.add(seen).await().atMost(Duration.ofSeconds(30));

        assertThat(touched.size()).isGreaterThan(UniqueViewers.BATCH * 3);
        Map<UUID, List<String>> unions = new LinkedHashMap<>();
        for (UUID episode : episodes) {
            unions.put(episode, List.of(UniqueViewers.episodeKey(episode, "hour",
                    at.truncatedTo(java.time.temporal.ChronoUnit.HOURS))));
        }
        Map<UUID, Long> counted = viewers.count(unions).await().atMost(Duration.ofSeconds(30));
        assertThat(counted).hasSize(episodes.size());
        for (int e = 0; e < episodes.size(); e++) {
            assertThat(counted.get(episodes.get(e))).as("viewers of episode " + e).isEqualTo(e % 3 + 1L);
        }
    }
}

package com.microdrama.transcode.ladder;

import static com.microdrama.transcode.TranscodeConfig.RateControl.FIXED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LadderCommandTest {

    private static final List<PlannedRung> TWO_RUNGS = LadderPlanner.plan(List.of(
            new LadderPlannerTest.Rung("540p", 540, 960, 1_500_000, 21, 1_440_000),
            new LadderPlannerTest.Rung("360p", 360, 640, 700_000, 21, 670_000)), FIXED, 540, 960);

    @Test
    void the_poster_and_thumbnail_come_from_one_more_branch_of_the_ladders_own_decode() {
        String graph = new LadderCommand(TWO_RUNGS, 30, true, 2, "veryfast", 128_000, 30).filterGraph();
        assertThat(graph).startsWith("[0:v]fps=30,split=3[s0][s1][s2];")
                .contains("[s2]trim=start_frame=30:end_frame=31,split=2[p][t];")
                .contains("[po]", "[th]", "[v0]", "[v1]");
    }

    @Test
    void without_a_poster_frame_the_graph_is_the_ladder_alone() {
        String graph = new LadderCommand(TWO_RUNGS, 30, true, 2, "veryfast", 128_000, LadderCommand.NO_POSTER)
                .filterGraph();
        assertThat(graph).startsWith("[0:v]fps=30,split=2[s0][s1];").doesNotContain("trim", "[po]");
    }

    @Test
    void the_poster_frame_is_counted_at_the_output_frame_rate() {
        assertThat(LadderCommand.posterFrame(1.0, 30)).isEqualTo(30);
        assertThat(LadderCommand.posterFrame(1.0, 25)).isEqualTo(25);
        // A 1 s source: a third of the way in.
        assertThat(LadderCommand.posterFrame(1.0 / 3, 30)).isEqualTo(10);
        assertThat(LadderCommand.posterFrame(0, 30)).isZero();
    }
}

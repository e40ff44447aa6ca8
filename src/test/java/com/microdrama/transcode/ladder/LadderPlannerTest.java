package com.microdrama.transcode.ladder;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.transcode.TranscodeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderPlannerTest {

    record Rung(String name, int width, int height, int bitrate) implements TranscodeConfig.Rung {
    }

    private static final List<TranscodeConfig.Rung> LADDER = List.of(
            new Rung("1080p", 1080, 1920, 4_500_000), new Rung("720p", 720, 1280, 2_500_000),
            new Rung("540p", 540, 960, 1_500_000), new Rung("360p", 360, 640, 700_000));

    @Test
    void a_full_hd_source_gets_the_whole_ladder() {
        assertThat(LadderPlanner.plan(LADDER, 1080, 1920)).extracting(PlannedRung::name)
                .containsExactly("1080p", "720p", "540p", "360p");
    }

    @Test
    void rungs_above_the_source_are_dropped_never_upscaled() {
        assertThat(LadderPlanner.plan(LADDER, 720, 1280)).extracting(PlannedRung::name)
                .containsExactly("720p", "540p", "360p");
        assertThat(LadderPlanner.plan(LADDER, 600, 1066)).extracting(PlannedRung::name)
                .containsExactly("540p", "360p");
        // 3:4 portrait: 720 wide but only 960 tall, so 720p does not fit.
        assertThat(LadderPlanner.plan(LADDER, 720, 960)).extracting(PlannedRung::name)
                .containsExactly("540p", "360p");
    }

    @Test
    void a_source_smaller_than_every_rung_is_its_own_single_rung_at_even_size() {
        List<PlannedRung> plan = LadderPlanner.plan(LADDER, 181, 321);
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0)).isEqualTo(new PlannedRung("320p", 180, 320, 175_000));
    }

    @Test
    void caps_follow_the_target_bitrate() {
        PlannedRung rung = new PlannedRung("720p", 720, 1280, 2_500_000);
        assertThat(rung.maxrate()).isEqualTo(2_750_000);
        assertThat(rung.bufsize()).isEqualTo(5_000_000);
    }
}

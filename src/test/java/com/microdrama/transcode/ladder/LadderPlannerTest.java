package com.microdrama.transcode.ladder;

import static com.microdrama.transcode.TranscodeConfig.RateControl.FIXED;
import static com.microdrama.transcode.TranscodeConfig.RateControl.PER_TITLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.transcode.TranscodeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderPlannerTest {

    record Rung(String name, int width, int height, int bitrate, double crf, int maxBitrate)
            implements TranscodeConfig.Rung {
    }

    private static final List<TranscodeConfig.Rung> LADDER = List.of(
            new Rung("1080p", 1080, 1920, 4_500_000, 21, 4_300_000), new Rung("720p", 720, 1280, 2_500_000, 22, 2_400_000),
            new Rung("540p", 540, 960, 1_500_000, 23, 1_440_000), new Rung("360p", 360, 640, 700_000, 24, 670_000));

    @Test
    void a_full_hd_source_gets_the_whole_ladder() {
        assertThat(LadderPlanner.plan(LADDER, FIXED, 1080, 1920)).extracting(PlannedRung::name)
                .containsExactly("1080p", "720p", "540p", "360p");
    }

    @Test
    void rungs_above_the_source_are_dropped_never_upscaled() {
        assertThat(LadderPlanner.plan(LADDER, FIXED, 720, 1280)).extracting(PlannedRung::name)
                .containsExactly("720p", "540p", "360p");
        assertThat(LadderPlanner.plan(LADDER, FIXED, 600, 1066)).extracting(PlannedRung::name)
                .containsExactly("540p", "360p");
        // 3:4 portrait: 720 wide but only 960 tall, so 720p does not fit.
        assertThat(LadderPlanner.plan(LADDER, FIXED, 720, 960)).extracting(PlannedRung::name)
                .containsExactly("540p", "360p");
    }

    @Test
    void a_source_smaller_than_every_rung_is_its_own_single_rung_at_even_size() {
        List<PlannedRung> plan = LadderPlanner.plan(LADDER, FIXED, 181, 321);
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0)).isEqualTo(new PlannedRung("320p", 180, 320, new PlannedRung.FixedBitrate(175_000)));
        assertThat(LadderPlanner.plan(LADDER, PER_TITLE, 181, 321).get(0).rate())
                .isEqualTo(new PlannedRung.CappedQuality(24, 167_500));
    }

    @Test
    void fixed_caps_follow_the_target_bitrate() {
        assertThat(LadderPlanner.plan(LADDER, FIXED, 720, 1280).get(0).rate().arguments(0)).containsExactly(
                "-b:v:0", "2500000", "-maxrate:v:0", "2750000", "-bufsize:v:0", "5000000");
    }

    @Test
    void per_title_rungs_take_their_configured_quality_and_cap_with_a_one_second_buffer() {
        List<PlannedRung> plan = LadderPlanner.plan(LADDER, PER_TITLE, 1080, 1920);
        assertThat(plan.get(0).rate().arguments(0)).containsExactly(
                "-crf:v:0", "21.0", "-maxrate:v:0", "4300000", "-bufsize:v:0", "4300000");
        assertThat(plan.get(3).rate().arguments(3)).containsExactly(
                "-crf:v:3", "24.0", "-maxrate:v:3", "670000", "-bufsize:v:3", "670000");
    }
}

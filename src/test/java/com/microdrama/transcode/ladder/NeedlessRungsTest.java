package com.microdrama.transcode.ladder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class NeedlessRungsTest {

    private static RenditionStats rung(String name, int averageBandwidth) {
        return new RenditionStats(new PlannedRung(name, 2, 2, new PlannedRung.CappedQuality(21, 1)), averageBandwidth,
                averageBandwidth, "avc1.64001f", 30, name + "/index.m3u8");
    }

    private static final List<RenditionStats> LADDER = List.of(rung("1080p", 1_000_000), rung("720p", 900_000),
            rung("540p", 500_000), rung("360p", 450_000));

    @Test
    void every_rung_is_kept_unless_a_ratio_is_configured() {
        assertThat(NeedlessRungs.kept(LADDER, OptionalDouble.empty())).isEqualTo(LADDER);
    }

    @Test
    void a_rung_costing_nearly_as_much_as_the_kept_one_above_it_is_dropped() {
        assertThat(NeedlessRungs.kept(LADDER, OptionalDouble.of(0.85))).extracting(r -> r.rung().name())
                .containsExactly("1080p", "540p");
        // Each rung is compared with the last one kept: with 720p and 540p gone, 360p is compared with 1080p.
        assertThat(NeedlessRungs.kept(LADDER, OptionalDouble.of(0.5))).extracting(r -> r.rung().name())
                .containsExactly("1080p", "360p");
        assertThat(NeedlessRungs.kept(LADDER, OptionalDouble.of(0.95))).isEqualTo(LADDER);
    }
}

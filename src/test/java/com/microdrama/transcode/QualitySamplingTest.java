package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microdrama.transcode.QualityMeter.Plan.Sample;
import org.junit.jupiter.api.Test;

class QualitySamplingTest {

    @Test
    void the_middle_segment_of_every_run_is_compared_and_at_least_one() {
        assertThat(QualityMeter.sampled(30, 6)).containsExactly(3, 9, 15, 21, 27);
        assertThat(QualityMeter.sampled(4, 6)).containsExactly(2);
        assertThat(QualityMeter.sampled(1, 6)).containsExactly(0);
        assertThat(QualityMeter.sampled(5, 1)).containsExactly(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> QualityMeter.sampled(5, 0)).hasMessageContaining("sample-every");
    }

    @Test
    void in_a_sampled_segment_one_frame_in_frame_every_is_compared_from_the_middle_of_the_first_run() {
        QualityMeter.Plan plan = QualityMeter.plan(12, 30, 2, 6, 7);
        assertThat(plan.samples()).containsExactly(new Sample(3, 180, 60, 3, 9));
        // Frames 183, 190, ... 239 of the output timeline: the same ones the measure picks from the segment's own 60.
        assertThat(plan.select()).isEqualTo("between(n,183,239)*not(mod(n-183,7))");

        QualityMeter.Plan every = QualityMeter.plan(12, 30, 2, 6, 1);
        assertThat(every.samples()).containsExactly(new Sample(3, 180, 60, 0, 60));
        assertThatThrownBy(() -> QualityMeter.plan(12, 30, 2, 6, 0)).hasMessageContaining("frame-every");
    }

    @Test
    void segments_start_where_the_ladder_forces_its_keyframes_and_the_last_may_be_short() {
        // 29.97 fps: a keyframe on the first frame at or after each 2 s, so segments of 60 and sometimes 59 frames.
        double ntsc = 30000 / 1001.0;
        assertThat(QualityMeter.firstFrame(1, 2, ntsc)).isEqualTo(60);
        assertThat(QualityMeter.firstFrame(16, 2, ntsc)).isEqualTo(960);
        assertThat(QualityMeter.firstFrame(17, 2, ntsc)).isEqualTo(1019);

        QualityMeter.Plan all = QualityMeter.plan(5, 30, 2, 1, 7);
        assertThat(all.samples()).containsExactly(new Sample(0, 0, 60, 3, 9), new Sample(1, 60, 60, 3, 9),
                new Sample(2, 120, 30, 3, 4));
        assertThat(all.framesBefore(all.samples().get(2))).isEqualTo(18);
        assertThat(all.select()).isEqualTo("between(n,3,59)*not(mod(n-3,7))+between(n,63,119)*not(mod(n-63,7))"
                + "+between(n,123,149)*not(mod(n-123,7))");
    }
}

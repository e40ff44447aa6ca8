package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}

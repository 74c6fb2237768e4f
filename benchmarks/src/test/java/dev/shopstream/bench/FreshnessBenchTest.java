package dev.shopstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.shopstream.analytics.settings.Setting;

/** The freshness figures describe the job as it runs by default. */
class FreshnessBenchTest {

    @Test
    void shouldAssumeTheJobsDefaultTriggerInterval() {
        assertThat(FreshnessBench.DEFAULT_TRIGGER).isEqualTo(Setting.TRIGGER_INTERVAL.defaultValue());
        assertThat(FreshnessBench.triggerSeconds()).isEqualTo(0.25);
    }
}

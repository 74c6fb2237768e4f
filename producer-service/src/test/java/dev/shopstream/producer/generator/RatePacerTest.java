package dev.shopstream.producer.generator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RatePacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldIssueExactlyRateTimesElapsedSeconds() {
        RatePacer pacer = new RatePacer(1000, 0, 1.0);
        long issued = 0;
        for (long now = 7 * MS; now <= 10_000 * MS; now += 7 * MS) {
            issued += pacer.takeDue(now);
        }
        issued += pacer.takeDue(10_000 * MS);
        assertThat(issued).isEqualTo(10_000);
    }

    @Test
    void shouldHonourFractionalRates() {
        RatePacer pacer = new RatePacer(0.5, 0, 1.0);
        assertThat(pacer.takeDue(1_999 * MS)).isZero();
        assertThat(pacer.takeDue(2_000 * MS)).isEqualTo(1);
        assertThat(pacer.takeDue(3_000 * MS)).isZero();
    }

    @Test
    void shouldIssueNothingWhilePaused() {
        RatePacer pacer = new RatePacer(0, 0, 1.0);
        assertThat(pacer.takeDue(60_000 * MS)).isZero();
        assertThat(pacer.nanosUntilNext(60_000 * MS)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldPaceFromTheMomentTheRateChanges() {
        RatePacer pacer = new RatePacer(10, 0, 1.0);
        assertThat(pacer.takeDue(500 * MS)).isEqualTo(5);
        pacer.setRate(100, 500 * MS);
        assertThat(pacer.takeDue(600 * MS)).isEqualTo(10);
    }

    @Test
    void shouldCatchUpAtMostOneBurstAfterAStall() {
        RatePacer pacer = new RatePacer(100, 0, 1.0);
        assertThat(pacer.takeDue(30_000 * MS)).isEqualTo(100);
        assertThat(pacer.takeDue(30_010 * MS)).isEqualTo(1);
    }

    @Test
    void shouldSleepUntilTheNextEventIsDue() {
        RatePacer pacer = new RatePacer(4, 0, 1.0);
        assertThat(pacer.nanosUntilNext(0)).isEqualTo(250 * MS);
        assertThat(pacer.takeDue(250 * MS)).isEqualTo(1);
        assertThat(pacer.nanosUntilNext(300 * MS)).isEqualTo(200 * MS);
    }
}

package dev.shopstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.shopstream.contract.EventRules;

/** The feed's schedule and rate steps, without Kafka: what is due when, and which records a step sends. */
class PacedRealisticFeedTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final TrafficMix MIX = TrafficMix.defaults();

    @Test
    void shouldSendWhatIsDueOnSchedule() {
        assertThat(PacedRealisticFeed.recordsDue(64_000, PacedRealisticFeed.TICK.toNanos())).isEqualTo(640);
    }

    @Test
    void shouldHoldARecordBackUntilItIsDue() {
        long oneThirdSecond = Duration.ofSeconds(1).toNanos() / 3;
        assertThat(PacedRealisticFeed.recordsDue(3, oneThirdSecond)).isZero();
        assertThat(PacedRealisticFeed.recordsDue(3, oneThirdSecond + 1)).isEqualTo(1);
    }

    @Test
    void shouldNotDriftOverALongStep() {
        long aDayAndAHalfSecond = Duration.ofDays(1).plusMillis(500).toNanos();
        assertThat(PacedRealisticFeed.recordsDue(64_000, aDayAndAHalfSecond)).isEqualTo(64_000L * 86_400 + 32_000);
    }

    @Test
    void shouldSendNothingBeforeTheStepStarts() {
        assertThat(PacedRealisticFeed.recordsDue(2_000, -Duration.ofMillis(5).toNanos())).isZero();
    }

    @Test
    void shouldSendTheSameRecordsForTheSameStep() {
        assertThat(records(PacedRealisticFeed.stepTraffic(MIX, 2, 4_000, START), 5_000))
                .isEqualTo(records(PacedRealisticFeed.stepTraffic(MIX, 2, 4_000, START), 5_000));
    }

    @Test
    void shouldDrawEachStepFromASeedOfItsOwn() {
        assertThat(records(PacedRealisticFeed.stepTraffic(MIX, 1, 4_000, START), 100))
                .doesNotContainAnyElementsOf(records(PacedRealisticFeed.stepTraffic(MIX, 2, 4_000, START), 100));
    }

    @Test
    void shouldStampEventsFromTheStepsStartAtItsRate() {
        // One second of records at 4,000/s: all but the late ones lie in the step's first second, from its very start.
        List<Instant> times = eventTimes(records(PacedRealisticFeed.stepTraffic(MIX, 0, 4_000, START), 4_000));
        List<Instant> onTime = times.stream().filter(t -> !t.isBefore(START)).toList();
        assertThat(onTime).hasSizeGreaterThan(times.size() * 95 / 100).allMatch(t -> t.isBefore(START.plusSeconds(1)));
        assertThat(Collections.min(onTime)).isEqualTo(START);
    }

    private static List<TopicTraffic.Event> records(RealisticTraffic traffic, int count) {
        List<TopicTraffic.Event> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(traffic.next());
        }
        return records;
    }

    /** Of the valid records (a malformed one has no event time to speak of). */
    private static List<Instant> eventTimes(List<TopicTraffic.Event> records) {
        List<Instant> times = new ArrayList<>();
        for (TopicTraffic.Event record : records) {
            EventRules.Verdict verdict = EventRules.judge(record.json());
            if (verdict.valid()) {
                times.add(verdict.event().eventTime());
            }
        }
        return times;
    }
}

package dev.shopstream.analytics.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.analytics.audit.BatchRanges.Batch;

/**
 * Which batches can hold on-time records of a window, from the watermarks alone. Batches 0-5 of a stream whose
 * newest event time grows by a minute per batch from 10:00 (delay 1 min, windows of 2 min): batch B ran with the
 * watermark {@code 10:00 + (B-1) min - 1 min}, none for batch 0.
 */
class BatchSelectionTest {

    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final Duration DELAY = Duration.ofMinutes(1);
    private static final Instant T10 = Instant.parse("2026-11-25T10:00:00Z");

    private final List<Batch> batches = batches(6);

    /** Batch b's own watermark: the newest event time through b-1 (10:00 + (b-1) min) minus the delay. */
    private static List<Batch> batches(int count) {
        List<Batch> list = new ArrayList<>();
        Instant previous = null;
        for (int b = 0; b < count; b++) {
            Instant watermark = b == 0 ? null : T10.plus(Duration.ofMinutes(b - 1)).minus(DELAY);
            list.add(new Batch(b, Map.of(), Map.of(), watermark, previous));
            previous = watermark;
        }
        return list;
    }

    private static Instant at(int minutesAfterTen) {
        return T10.plus(Duration.ofMinutes(minutesAfterTen));
    }

    @Test
    void shouldLetABatchHoldOnTimeRecordsOnlyOfWindowsBetweenItsLateWatermarkAndItsNewestEventTime() {
        // Batch 3: late watermark 10:00 (batch 2's), newest event time 10:03 (batch 4's watermark 10:02 + 1 min).
        Batch three = batches.get(3);
        Batch four = batches.get(4);

        assertThat(BatchSelection.canHoldOnTime(three, four, at(0), at(2), DELAY)).isTrue();
        assertThat(BatchSelection.canHoldOnTime(three, four, at(2), at(4), DELAY)).isTrue();
        assertThat(BatchSelection.canHoldOnTime(three, four, at(-2), at(0), DELAY)).as("ended at the late watermark").isFalse();
        assertThat(BatchSelection.canHoldOnTime(three, four, at(4), at(6), DELAY)).as("starts after its newest event").isFalse();
        assertThat(BatchSelection.canHoldOnTime(three, null, at(60), at(62), DELAY)).as("the newest batch: no upper bound").isTrue();
        assertThat(BatchSelection.canHoldOnTime(batches.get(0), batches.get(1), at(-600), at(-598), DELAY))
                .as("batch 0 judges nothing late").isTrue();
    }

    @Test
    void shouldFindTheFirstBatchThatCanHoldAWindow() {
        assertThat(BatchSelection.firstBatchFor(batches, at(0), at(2), DELAY)).map(Batch::batchId).contains(0L);
        // 10:04 is first reached by batch 4 (its newest event time 10:04 = batch 5's watermark 10:03 + 1 min).
        assertThat(BatchSelection.firstBatchFor(batches, at(4), at(6), DELAY)).map(Batch::batchId).contains(4L);
        assertThat(BatchSelection.firstBatchFor(batches, at(30), at(32), DELAY)).map(Batch::batchId).contains(5L);
    }

    @Test
    void shouldReadFromTheCursorOrTheFirstBatchTheEarliestWindowNeedsWhicheverComesFirst() {
        assertThat(BatchSelection.readFrom(batches, null, null, WINDOW, DELAY)).as("first run: everything").contains(0L);
        assertThat(BatchSelection.readFrom(batches, 3L, null, WINDOW, DELAY)).as("only the new batches").contains(4L);
        assertThat(BatchSelection.readFrom(batches, 3L, at(2), WINDOW, DELAY)).as("a window needs batch 2").contains(2L);
        assertThat(BatchSelection.readFrom(batches, 1L, at(4), WINDOW, DELAY)).as("the cursor comes first").contains(2L);
        assertThat(BatchSelection.readFrom(batches, 5L, null, WINDOW, DELAY)).as("nothing new").isEmpty();
        assertThat(BatchSelection.readFrom(batches.subList(3, 6), 0L, at(0), WINDOW, DELAY)).as("never before the retained ones").contains(3L);
    }

    @Test
    void shouldCheckOnlyWindowsStartingAfterTheNewestEventTimeSeenBeforeTheFirstBatchRead() {
        assertThat(BatchSelection.checkableAfter(batches.get(0), DELAY)).isBefore(Instant.EPOCH);
        // Before batch 4: newest event time 10:03 (its watermark 10:02 + 1 min). Window 10:04 is whole from batch 4 on.
        assertThat(BatchSelection.checkableAfter(batches.get(4), DELAY)).isEqualTo(at(3));
        assertThat(BatchSelection.firstBatchFor(batches, at(4), at(6), DELAY)).map(Batch::batchId).contains(4L);
        assertThat(BatchSelection.firstBatchFor(batches, at(2), at(4), DELAY)).map(Batch::batchId).contains(2L);
    }

    @Test
    void shouldNotReadABatchThatHeldNoEventForAnyWindow() {
        // Batch 0 read nothing (the next batch has no watermark: no event time seen yet); batch 1 read the first events.
        Batch empty = new Batch(0, Map.of(), Map.of(), null, null);
        Batch firstEvents = new Batch(1, Map.of(), Map.of(), null, null);
        Batch after = new Batch(2, Map.of(), Map.of(), at(3), null);

        assertThat(BatchSelection.canHoldOnTime(empty, firstEvents, at(0), at(2), DELAY)).isFalse();
        assertThat(BatchSelection.firstBatchFor(List.of(empty, firstEvents, after), at(0), at(2), DELAY)).map(Batch::batchId).contains(1L);
    }

    @Test
    void shouldEndAPassOnceItHasReadTheRecordsItMayHoldButAfterTheCursor() {
        // Batches 0-5 of 100 records each (one partition), watermarks as above but batch 0's.
        List<Batch> sized = new ArrayList<>();
        BatchRanges.TopicPartition p0 = new BatchRanges.TopicPartition("user_events", 0);
        for (Batch b : batches) {
            sized.add(new Batch(b.batchId(), Map.of(p0, b.batchId() * 100), Map.of(p0, b.batchId() * 100 + 100), b.watermark(), b.lateWatermark()));
        }

        assertThat(BatchSelection.readTo(sized, 0, null, 250)).as("300 records: the first 250 and the rest of batch 2").isEqualTo(2);
        assertThat(BatchSelection.readTo(sized, 0, null, 1_000)).as("the records run out first").isEqualTo(5);
        assertThat(BatchSelection.readTo(sized, 1, 3L, 100)).as("at least one batch no pass read").isEqualTo(4);
        assertThat(BatchSelection.readTo(sized, 0, null, 50)).as("not a batch without a watermark").isEqualTo(1);
    }
}

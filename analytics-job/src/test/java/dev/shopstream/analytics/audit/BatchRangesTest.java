package dev.shopstream.analytics.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.shopstream.analytics.audit.BatchRanges.Batch;
import dev.shopstream.analytics.audit.BatchRanges.TopicPartition;

class BatchRangesTest {

    private static final TopicPartition P0 = new TopicPartition("user_events", 0);
    private static final TopicPartition P1 = new TopicPartition("user_events", 1);
    private static final Instant W0 = Instant.parse("2026-11-25T09:58:00Z");
    private static final Instant W1 = Instant.parse("2026-11-25T10:00:00Z");

    private final BatchRanges ranges = new BatchRanges(List.of(
            new Batch(0, Map.of(), BatchRanges.offsets("{\"user_events\":{\"0\":10,\"1\":5}}"), W0, null),
            new Batch(1, BatchRanges.offsets("{\"user_events\":{\"0\":10,\"1\":5}}"),
                    BatchRanges.offsets("{\"user_events\":{\"0\":20,\"1\":5}}"), W1, W0)));

    @Test
    void shouldTurnEachBatchIntoThePartitionRangesItReadWithTheWatermarkThatJudgedThem() {
        assertThat(ranges.ranges()).containsExactly(
                new BatchRange(0, "user_events", 0, 0, 10, null),
                new BatchRange(0, "user_events", 1, 0, 5, null),
                new BatchRange(1, "user_events", 0, 10, 20, W0));
    }

    @Test
    void shouldJudgeABatchsRecordsByThePreviousBatchsWatermark() {
        Batch first = new Batch(0, Map.of(), Map.of(), W0, null);

        assertThat(BatchRanges.lateWatermark(0, null, W0)).isNull();
        assertThat(BatchRanges.lateWatermark(1, first, W1)).isEqualTo(W0);
        // Without the previous row: the batch's own watermark, the nearest known.
        assertThat(BatchRanges.lateWatermark(5, first, W1)).isEqualTo(W1);
    }

    @Test
    void shouldKeepOnlyTheBatchesKafkaStillHoldsWhole() {
        assertThat(ranges.retainedFrom(Map.of(P0, 0L, P1, 0L)).batches()).extracting(Batch::batchId).containsExactly(0L, 1L);
        // Kafka deleted offsets 0-2 of partition 0: batch 0 is no longer whole.
        assertThat(ranges.retainedFrom(Map.of(P0, 3L, P1, 0L)).batches()).extracting(Batch::batchId).containsExactly(1L);
        assertThat(ranges.retainedFrom(Map.of(P0, 11L, P1, 0L)).batches()).isEmpty();
    }

    @Test
    void shouldWriteEndOffsetsAsSparkReadsThem() {
        assertThat(BatchRanges.toJson(ranges.newest().orElseThrow().end())).isEqualTo("{\"user_events\":{\"0\":20,\"1\":5}}");
    }

    @Test
    void shouldCallAnEventAtTheWatermarkLate() {
        assertThat(BatchRange.isLate(W1, W1)).isTrue();
        assertThat(BatchRange.isLate(W1.minusMillis(1), W1)).isTrue();
        assertThat(BatchRange.isLate(W1.plusMillis(1), W1)).isFalse();
        assertThat(BatchRange.isLate(W1, null)).isFalse();
    }
}

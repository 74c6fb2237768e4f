package dev.shopstream.analytics.audit;

import java.io.Serializable;
import java.time.Instant;

import dev.shopstream.contract.ReferenceAnalytics;

/**
 * The records one batch of the query read from one Kafka partition, offsets {@code [start, end)}, and the
 * watermark that judged them late: the previous batch's ({@link BatchRanges.Batch#lateWatermark}; null for
 * batch 0). From {@code stream_progress} rows.
 */
public record BatchRange(long batchId, String topic, int partition, long start, long end, Instant watermark) implements Serializable {

    /**
     * Spark's rule for a stateful operator's input, here the de-duplication's (WatermarkSupport.watermarkExpression:
     * {@code eventTime <= watermark}): an event AT the watermark is late too.
     */
    public static boolean isLate(Instant eventTime, Instant watermark) {
        return ReferenceAnalytics.behind(eventTime, watermark);
    }
}

package dev.shopstream.analytics.checkpoint;

import java.time.Instant;

/**
 * Where a micro-batch stands in the stream, as Spark planned it before running it: the Kafka offsets it reads
 * (from the previous batch's end to its own end, as Spark's JSON), the watermark it applies (events at or
 * behind it are late) and its trigger time. Written with the batch's data, in its transaction.
 */
public record BatchPosition(long batchId, String startOffsets, String endOffsets, Instant watermark, Instant batchTime) {
}

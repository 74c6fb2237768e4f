package dev.shopstream.analytics.audit;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.apache.spark.sql.Row;

import dev.shopstream.contract.EventContract;

/**
 * A valid record the watermark dropped, with its Kafka position, the watermark it missed and the batch that
 * read it. {@code alreadyCounted}: another copy of the same event_id was counted (a late re-delivery), so its
 * window lost nothing.
 */
public record LateRecord(String topic, int partition, long offset, String eventId, String eventType, String productId,
        String category, BigDecimal price, Instant eventTime, Instant missedWatermark, long batchId,
        Instant windowStart, Instant windowEnd, boolean alreadyCounted) {

    /** Columns: topic, partition, offset, the event's columns but user_id, b_watermark, b_batch, already_counted. */
    static LateRecord of(Row row, Duration window) {
        Instant eventTime = ((Timestamp) row.get(8)).toInstant();
        // Spark's tumbling windows start at multiples of the window length since the epoch (no offset).
        long length = window.toMillis();
        Instant start = Instant.ofEpochMilli(Math.floorDiv(eventTime.toEpochMilli(), length) * length);
        return new LateRecord(row.getString(0), row.getInt(1), row.getLong(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), (BigDecimal) row.get(7), eventTime, ((Timestamp) row.get(9)).toInstant(),
                row.getLong(10), start, start.plus(window), row.getBoolean(11));
    }

    boolean isView() {
        return EventContract.PRODUCT_VIEW.equals(eventType);
    }

    boolean isPurchase() {
        return EventContract.PURCHASE.equals(eventType);
    }
}

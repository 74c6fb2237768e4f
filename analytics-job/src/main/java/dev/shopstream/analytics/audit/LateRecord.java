package dev.shopstream.analytics.audit;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.ValidEvent;

/**
 * A valid record the watermark dropped, with its Kafka position, the watermark it missed and the batch that
 * read it. {@code alreadyCounted}: a copy of the same event_id was counted before it in its partition (a late
 * re-delivery), so its window lost nothing.
 */
public record LateRecord(String topic, int partition, long offset, String eventId, String eventType, String productId,
        String category, BigDecimal price, Instant eventTime, Instant missedWatermark, long batchId,
        Instant windowStart, Instant windowEnd, boolean alreadyCounted) {

    static LateRecord of(ValidEvent event, BatchRange range, long offset, Instant windowStart, Duration window, boolean alreadyCounted) {
        return new LateRecord(range.topic(), range.partition(), offset, event.eventId(), event.eventType(), event.productId(),
                event.category(), event.price(), event.eventTime(), range.watermark(), range.batchId(), windowStart,
                windowStart.plus(window), alreadyCounted);
    }

    boolean isView() {
        return EventContract.PRODUCT_VIEW.equals(eventType);
    }

    boolean isPurchase() {
        return EventContract.PURCHASE.equals(eventType);
    }

    /** Its event as the analytics count it: once per partition. */
    String partitionAndId() {
        return topic + "/" + partition + "/" + eventId;
    }
}

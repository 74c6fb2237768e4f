package dev.shopstream.analytics.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A valid user event of the contract, as the test knows it (not as Spark parsed it). */
public record ShopEvent(String eventId, String eventType, String userId, String productId, String category,
                        BigDecimal price, Instant eventTime) {

    private static final DateTimeFormatter CONTRACT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The event as producer-service writes it: fields in contract order, price a JSON number, time with millis. */
    public String toJson() {
        return toEventJson().json();
    }

    public EventJson toEventJson() {
        return EventJson.sample()
                .text("event_id", eventId)
                .text("event_type", eventType)
                .text("user_id", userId)
                .text("product_id", productId)
                .text("category", category)
                .raw("price", price.toPlainString())
                .text("event_time", CONTRACT_TIME.format(eventTime));
    }
}

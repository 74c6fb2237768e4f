package dev.shopstream.contract;

import java.math.BigDecimal;
import java.time.Instant;

/** An event that passed every rule of the contract. {@code price} has scale 2. */
public record ValidEvent(String eventId, String eventType, String userId, String productId, String category,
                         BigDecimal price, Instant eventTime) {
}

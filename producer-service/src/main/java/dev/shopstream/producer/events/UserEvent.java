package dev.shopstream.producer.events;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.shopstream.contract.EventContract;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One message of the {@code user_events} topic, exactly as the contract (pipeline-contract/README.md) describes it:
 * snake_case fields, {@code price} a decimal with two places, {@code event_time} an ISO-8601 UTC instant
 * with milliseconds. The Kafka key is {@link #userId()}.
 */
@JsonPropertyOrder({EventContract.EVENT_ID, EventContract.EVENT_TYPE, EventContract.USER_ID, EventContract.PRODUCT_ID,
        EventContract.CATEGORY, EventContract.PRICE, EventContract.EVENT_TIME})
@RegisterForReflection
public record UserEvent(
        String eventId,
        EventType eventType,
        String userId,
        String productId,
        String category,
        BigDecimal price,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", timezone = "UTC")
        Instant eventTime) {
}

package dev.shopstream.producer.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three things a shopper does, as they appear in the event contract. */
public enum EventType {
    PRODUCT_VIEW("product_view"),
    ADD_TO_CART("add_to_cart"),
    PURCHASE("purchase");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}

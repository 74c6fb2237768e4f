package dev.shopstream.producer.events;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.shopstream.contract.EventContract;

/** The three things a shopper does, as they appear in the event contract. */
public enum EventType {
    PRODUCT_VIEW(EventContract.PRODUCT_VIEW),
    ADD_TO_CART(EventContract.ADD_TO_CART),
    PURCHASE(EventContract.PURCHASE);

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}

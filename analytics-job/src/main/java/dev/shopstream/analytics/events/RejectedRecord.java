package dev.shopstream.analytics.events;

import java.io.Serializable;

import dev.shopstream.contract.RejectedPayload;

/** A Kafka record the parser refused: its position (which identifies it), what is kept of its value, and why. */
public record RejectedRecord(String topic, int partition, long offset, RejectedPayload payload, String reason) implements Serializable {

    /** The record's identity: a replay or a retried task yields the same position, stored once. */
    public String position() {
        return topic + "/" + partition + "/" + offset;
    }
}

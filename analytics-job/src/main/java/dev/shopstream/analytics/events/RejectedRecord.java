package dev.shopstream.analytics.events;

import java.io.Serializable;

/** A Kafka record the parser refused, with its position (which identifies it) and the reason. */
public record RejectedRecord(String topic, int partition, long offset, String rawPayload, String reason) implements Serializable {

    /** The record's identity: a replay or a retried task yields the same position, stored once. */
    public String position() {
        return topic + "/" + partition + "/" + offset;
    }
}

package dev.shopstream.analytics.support;

/**
 * One Kafka record of a test stream and what the test expects of it. The payload is null for a record
 * without a value (a tombstone).
 */
public record TestMessage(String key, String payload, Kind kind, ShopEvent event, String expectedReason) {

    public enum Kind {
        /** A valid event arriving in time: counted once per event_id, however often it is delivered. */
        ON_TIME,
        /** A valid event arriving after the watermark has passed it: dropped, counted as late. */
        LATE,
        /** Not a valid event: a rejected_events row with {@link #expectedReason}. */
        INVALID
    }

    public static TestMessage onTime(ShopEvent event) {
        return new TestMessage(event.userId(), event.toJson(), Kind.ON_TIME, event, null);
    }

    public static TestMessage late(ShopEvent event) {
        return new TestMessage(event.userId(), event.toJson(), Kind.LATE, event, null);
    }

    public static TestMessage invalid(String key, String payload, String reason) {
        return new TestMessage(key, payload, Kind.INVALID, null, reason);
    }
}

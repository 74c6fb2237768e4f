package dev.shopstream.analytics.support;

/** A row of rejected_events (or the expectation of one). */
public record RejectedRow(String topic, int partition, long offset, String payload, String reason) {
}

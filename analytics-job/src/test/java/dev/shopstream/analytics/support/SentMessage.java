package dev.shopstream.analytics.support;

/** A test message as Kafka stored it. */
public record SentMessage(TestMessage message, int partition, long offset) {
}

package dev.shopstream.producer.generator;

/** What GET /producer shows. */
public record ProducerStatus(
        double eventsPerSecond,
        double maxEventsPerSecond,
        boolean paused,
        long eventsSent,
        long eventsFailed,
        long eventsDropped,
        Long seed,
        String lastError) {
}

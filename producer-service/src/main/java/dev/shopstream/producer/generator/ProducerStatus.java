package dev.shopstream.producer.generator;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What GET /producer shows. */
@JsonPropertyOrder({"events_per_second", "max_events_per_second", "paused", "events_sent", "events_failed", "events_dropped", "seed", "last_error"})
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

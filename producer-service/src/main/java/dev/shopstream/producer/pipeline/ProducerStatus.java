package dev.shopstream.producer.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What GET /producer shows, and the producer in GET /metrics/pipeline: the generator's rate and counters. It lives
 * with the pipeline's health, which reads it through {@link ProducerStatusSource}.
 */
@JsonPropertyOrder({"events_per_second", "max_events_per_second", "paused", "events_sent", "events_failed", "events_dropped", "seed", "last_error"})
@RegisterForReflection
public record ProducerStatus(
        double eventsPerSecond,
        double maxEventsPerSecond,
        boolean paused,
        long eventsSent,
        long eventsFailed,
        long eventsDropped,
        @Schema(nullable = true) Long seed,
        @Schema(nullable = true) String lastError) {
}

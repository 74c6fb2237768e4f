package dev.shopstream.analytics.settings;

import java.io.Serializable;
import java.time.Duration;

import dev.shopstream.contract.AnalyticsSchema;

/**
 * The event-time rules of the aggregations: tumbling windows of {@code window}, and events accepted until the
 * watermark (newest event time seen minus {@code watermarkDelay}) has passed them.
 */
public record WindowSpec(Duration window, Duration watermarkDelay) implements Serializable {

    public WindowSpec {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (watermarkDelay == null || watermarkDelay.isNegative()) {
            throw new IllegalArgumentException("watermark delay must not be negative, was " + watermarkDelay);
        }
    }

    /** The job's defaults: AnalyticsSchema's window and watermark delay. */
    public static WindowSpec defaults() {
        return new WindowSpec(AnalyticsSchema.DEFAULT_WINDOW, AnalyticsSchema.DEFAULT_WATERMARK_DELAY);
    }

    /** The window length in Spark's interval syntax (what window() takes). */
    public String windowInterval() {
        return Durations.toSparkInterval(window);
    }

    /** The watermark delay in Spark's interval syntax (what withWatermark() takes). */
    public String watermarkInterval() {
        return Durations.toSparkInterval(watermarkDelay);
    }
}

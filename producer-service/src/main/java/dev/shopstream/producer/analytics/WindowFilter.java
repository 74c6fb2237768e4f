package dev.shopstream.producer.analytics;

import java.time.Instant;

import dev.shopstream.producer.web.InvalidParameterException;

/**
 * What the window endpoints select: windows whose start lies between {@code from} and {@code to} (both
 * included, either optional), an exact key (null: any), how many rows, newest window first, and whether final
 * windows only ({@code true}), open ones only ({@code false}) or both (null).
 */
public record WindowFilter(Instant from, Instant to, String key, int limit, Boolean isFinal) {

    /** An empty key, like an absent one, filters nothing; {@code from} after {@code to} is refused, naming {@code from}. */
    public WindowFilter {
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidParameterException("from", "from (" + from + ") must not be after to (" + to + ")");
        }
        if (key != null && key.isEmpty()) {
            key = null;
        }
    }

    /** Final and open windows alike. */
    public WindowFilter(Instant from, Instant to, String key, int limit) {
        this(from, to, key, limit, null);
    }

    /** Every key's rows of the windows starting at or after {@code from}. */
    public static WindowFilter since(Instant from, int limit) {
        return new WindowFilter(from, null, null, limit);
    }
}

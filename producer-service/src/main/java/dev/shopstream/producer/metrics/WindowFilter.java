package dev.shopstream.producer.metrics;

import java.time.Instant;

import dev.shopstream.producer.web.InvalidParameterException;
import dev.shopstream.producer.web.QueryParameters;

/**
 * The validated query parameters of the window endpoints: windows whose start lies between {@code from}
 * and {@code to} (both included, either optional), an exact key, and how many rows.
 */
record WindowFilter(Instant from, Instant to, String key, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_KEY_LENGTH = 128;

    static WindowFilter parse(String from, String to, String keyName, String key, String limit) {
        Instant fromTime = QueryParameters.instant("from", from);
        Instant toTime = QueryParameters.instant("to", to);
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            throw new InvalidParameterException("from", "from (" + fromTime + ") must not be after to (" + toTime + ")");
        }
        return new WindowFilter(fromTime, toTime, key(keyName, key), QueryParameters.count("limit", limit, DEFAULT_LIMIT, MAX_LIMIT));
    }

    /** An exact id or category; an empty value, like an absent one, filters nothing. */
    static String key(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_KEY_LENGTH) {
            throw new InvalidParameterException(name, name + " must be 1 to " + MAX_KEY_LENGTH + " characters, got " + value.length());
        }
        return value;
    }
}

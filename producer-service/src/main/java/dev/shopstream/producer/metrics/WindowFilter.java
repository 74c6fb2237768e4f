package dev.shopstream.producer.metrics;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import dev.shopstream.producer.web.InvalidParameterException;

/**
 * The validated query parameters of the window endpoints: windows whose start lies between {@code from}
 * and {@code to} (both included, either optional), an exact key, and how many rows.
 */
record WindowFilter(Instant from, Instant to, String key, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_KEY_LENGTH = 128;

    static WindowFilter parse(String from, String to, String keyName, String key, String limit) {
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            throw new InvalidParameterException("from", "from (" + fromTime + ") must not be after to (" + toTime + ")");
        }
        return new WindowFilter(fromTime, toTime, key(keyName, key), count("limit", limit, DEFAULT_LIMIT));
    }

    /** An ISO-8601 instant, with Z or an offset: 2026-11-25T02:30:00Z or 2026-11-25T03:30:00+01:00. */
    static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, name + " must be an ISO-8601 time such as 2026-11-25T02:30:00Z, got '" + value + "'");
        }
    }

    /** A whole number from 1 to 1000, or the default when absent. */
    static int count(String name, String value, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, name + " must be a whole number from 1 to " + MAX_LIMIT + ", got '" + value + "'");
        }
        if (parsed < 1 || parsed > MAX_LIMIT) {
            throw new InvalidParameterException(name, name + " must be from 1 to " + MAX_LIMIT + ", got " + parsed);
        }
        return parsed;
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

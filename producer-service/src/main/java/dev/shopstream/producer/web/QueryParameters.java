package dev.shopstream.producer.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query parameters read as the API reads them everywhere: absent means the default, anything bad is a 400 naming it. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** A whole number from 1 to {@code max}, or the default when absent or blank. */
    public static int count(String name, String value, int defaultValue, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, name + " must be a whole number from 1 to " + max + ", got '" + value + "'");
        }
        if (parsed < 1 || parsed > max) {
            throw new InvalidParameterException(name, name + " must be from 1 to " + max + ", got " + parsed);
        }
        return parsed;
    }

    /** An ISO-8601 instant, with Z or an offset (2026-11-25T02:30:00Z, 2026-11-25T03:30:00+01:00), or null when absent. */
    public static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, name + " must be an ISO-8601 time such as 2026-11-25T02:30:00Z, got '" + value + "'");
        }
    }
}

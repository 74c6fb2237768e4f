package dev.shopstream.analytics.settings;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in settings: "2 minutes", "90s", "500 ms", "1.5 hours", or ISO-8601 "PT2M".
 * A bare number is refused: "2" could mean seconds or minutes, and guessing wrong makes a silent mess.
 *
 * <p>Written here because the documented spellings ("2 minutes", "5 minutes" in compose files and docs) are what no
 * library at hand reads: picocli has no duration converter, SmallRye Config's is ISO-8601 only, and Quarkus' and Spark's
 * ({@code JavaUtils.timeStringAs}) take "2m" but neither "2 minutes" nor "1.5 hours", and read a bare number in a unit
 * they pick.
 */
public final class Durations {

    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]+)");
    private static final Map<String, Duration> UNITS = Map.ofEntries(
            Map.entry("ms", Duration.ofMillis(1)), Map.entry("milli", Duration.ofMillis(1)),
            Map.entry("millis", Duration.ofMillis(1)), Map.entry("millisecond", Duration.ofMillis(1)),
            Map.entry("milliseconds", Duration.ofMillis(1)),
            Map.entry("s", Duration.ofSeconds(1)), Map.entry("sec", Duration.ofSeconds(1)),
            Map.entry("secs", Duration.ofSeconds(1)), Map.entry("second", Duration.ofSeconds(1)),
            Map.entry("seconds", Duration.ofSeconds(1)),
            Map.entry("m", Duration.ofMinutes(1)), Map.entry("min", Duration.ofMinutes(1)),
            Map.entry("mins", Duration.ofMinutes(1)), Map.entry("minute", Duration.ofMinutes(1)),
            Map.entry("minutes", Duration.ofMinutes(1)),
            Map.entry("h", Duration.ofHours(1)), Map.entry("hour", Duration.ofHours(1)),
            Map.entry("hours", Duration.ofHours(1)),
            Map.entry("d", Duration.ofDays(1)), Map.entry("day", Duration.ofDays(1)),
            Map.entry("days", Duration.ofDays(1)));

    private Durations() {
    }

    /** Parses a duration; throws IllegalArgumentException with a readable message. */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration");
            }
        }
        Matcher matcher = AMOUNT_AND_UNIT.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected an amount and a unit, e.g. '2 minutes', '90s', '500 ms' or 'PT2M'");
        }
        Duration unit = UNITS.get(matcher.group(2));
        if (unit == null) {
            throw new IllegalArgumentException("unknown unit '" + matcher.group(2) + "' (use ms, s, m, h or d)");
        }
        BigDecimal nanos = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit.toNanos()));
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("out of range or finer than a nanosecond");
        }
    }

    /** Spark's interval syntax, in whole milliseconds (what window() and withWatermark() take). */
    public static String toSparkInterval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    /** Compact form for logs: 2m, 90s, 1500ms. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0 && millis > 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}

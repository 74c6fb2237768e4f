package dev.shopstream.analytics.settings;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.shopstream.contract.EventContract;
import dev.shopstream.schema.SchemaMigrations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What each setting accepts: one picocli converter per {@link Setting}, which turns the text (from the command line,
 * the environment or the default alike) into its type, or refuses it saying what is expected. picocli names the
 * setting; {@link JobSettings} words the message.
 */
final class SettingValues {

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,]+:\\d{1,5}");
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private SettingValues() {
    }

    /** The type of a setting's value, as the converter returns it. */
    static Class<?> type(Setting setting) {
        return switch (setting) {
            case MAX_OFFSETS_PER_TRIGGER -> OptionalLong.class;
            case WINDOW_DURATION, WATERMARK_DELAY, TRIGGER_INTERVAL, AUDIT_INTERVAL -> Duration.class;
            case SHUFFLE_PARTITIONS, REJECTED_PAYLOAD_MAX_BYTES -> Integer.class;
            case SPARK_PROMETHEUS_METRICS -> Boolean.class;
            default -> String.class;
        };
    }

    static ITypeConverter<?> converter(Setting setting) {
        return switch (setting) {
            case KAFKA_BOOTSTRAP_SERVERS -> SettingValues::bootstrapServers;
            case KAFKA_TOPIC -> text -> matching(text, TOPIC, "a Kafka topic name (letters, digits, '.', '_' or '-')");
            case STARTING_OFFSETS -> SettingValues::startingOffsets;
            case MAX_OFFSETS_PER_TRIGGER -> SettingValues::maxOffsets;
            case POSTGRES_URL -> SettingValues::postgresUrl;
            case POSTGRES_PASSWORD -> String::trim; // any text, even blank, is a password
            case WINDOW_DURATION -> text -> duration(text, false);
            case WATERMARK_DELAY, TRIGGER_INTERVAL, AUDIT_INTERVAL -> text -> duration(text, true);
            case CHECKPOINT_DIR -> text -> stripTrailingSlash(nonBlank(text));
            case SHUFFLE_PARTITIONS -> text -> wholeNumber(text, 1, 10_000, "a whole number from 1 to 10000");
            // Up to a mebibyte: the broker's default largest message; beyond it the cap would not bound anything.
            case REJECTED_PAYLOAD_MAX_BYTES -> text -> wholeNumber(text, 0, 1 << 20, "a whole number of bytes from 0 to 1048576");
            case SPARK_PROMETHEUS_METRICS -> SettingValues::bool;
            case POSTGRES_USER, SPARK_MASTER -> SettingValues::nonBlank;
        };
    }

    private static String nonBlank(String text) {
        if (text == null || text.isBlank()) {
            throw new TypeConversionException("must not be empty");
        }
        return text.trim();
    }

    private static Boolean bool(String text) {
        return switch (nonBlank(text).toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new TypeConversionException("expected true or false");
        };
    }

    private static String matching(String text, Pattern pattern, String expected) {
        String value = nonBlank(text);
        if (!pattern.matcher(value).matches()) {
            throw new TypeConversionException("expected " + expected);
        }
        return value;
    }

    private static String bootstrapServers(String text) {
        String value = nonBlank(text);
        for (String server : value.split(",", -1)) {
            if (!HOST_PORT.matcher(server.trim()).matches()) {
                throw new TypeConversionException("expected host:port[,host:port...], e.g. localhost:9092");
            }
        }
        return value;
    }

    private static String startingOffsets(String text) {
        String value = nonBlank(text);
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("earliest") || lower.equals("latest")) {
            return lower;
        }
        if (value.startsWith("{") && value.endsWith("}")) {
            return value; // Spark's per-partition JSON; Spark itself validates the content
        }
        throw new TypeConversionException("expected earliest, latest or a JSON object such as {\"" + EventContract.TOPIC + "\":{\"0\":42}}");
    }

    private static OptionalLong maxOffsets(String text) {
        String value = nonBlank(text);
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("none") || lower.equals("unlimited")) {
            return OptionalLong.empty();
        }
        try {
            long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed > 0) {
                return OptionalLong.of(parsed);
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new TypeConversionException("expected a positive whole number or 'none'");
    }

    private static String postgresUrl(String text) {
        String value = nonBlank(text);
        if (!value.startsWith("jdbc:postgresql://")) {
            throw new TypeConversionException("expected a PostgreSQL JDBC URL such as " + SchemaMigrations.DEFAULT_URL);
        }
        return value;
    }

    private static Duration duration(String text, boolean zeroAllowed) {
        Duration parsed;
        try {
            parsed = Durations.parse(nonBlank(text));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        if (parsed.isNegative() || (!zeroAllowed && parsed.isZero())) {
            throw new TypeConversionException(zeroAllowed ? "must not be negative" : "must be positive");
        }
        if (parsed.compareTo(Duration.ofDays(365)) > 0) {
            throw new TypeConversionException("must be at most 365 days");
        }
        if (parsed.getNano() % 1_000_000 != 0) {
            throw new TypeConversionException("must be a whole number of milliseconds");
        }
        return parsed;
    }

    private static Integer wholeNumber(String text, int min, int max, String expected) {
        try {
            int parsed = Integer.parseInt(nonBlank(text).replace("_", ""));
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new TypeConversionException("expected " + expected);
    }

    private static String stripTrailingSlash(String path) {
        String result = path;
        while (result.length() > 1 && result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}

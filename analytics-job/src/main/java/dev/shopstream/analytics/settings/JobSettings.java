package dev.shopstream.analytics.settings;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.shopstream.contract.EventContract;
import dev.shopstream.schema.SchemaMigrations;

/**
 * Everything the job is configured with, typed and validated once at start-up. Each value comes from the
 * command line ({@code --kafka-topic=x} or {@code --KAFKA_TOPIC=x}), else the environment variable
 * ({@code KAFKA_TOPIC}), else the default of {@link Setting}. A bad value fails here, naming the setting,
 * rather than as an obscure Spark error minutes later.
 *
 * <p>Why this is written here rather than with SmallRye Config or picocli (weighed for issue 32): neither does the part
 * that takes the lines. SmallRye Config reads system properties and the environment, not {@code --key=value} arguments,
 * and its own conversion of a Duration is Duration.parse (ISO-8601 "PT2M"), not "2 minutes" or "500 ms"; it needs the
 * MicroProfile Config API and SmallRye's common jars on the driver's classpath beside Spark's, and the spark-submit jar
 * would have to bundle them. picocli parses the arguments, but the documented spellings ({@code --kafka-topic} and
 * {@code --KAFKA_TOPIC}), "a blank variable is unset", and the messages {@code JobSettingsTest} holds ("Invalid setting
 * NAME (--key) = 'value': expected ...", "Unknown setting '--x'. Known keys: ...") would each need its own handler, and
 * every value's check and converter stays as it is here. Either would add a dependency and a layer of handlers for the
 * about 30 lines of lookup they replace.
 */
public record JobSettings(
        String kafkaBootstrapServers,
        String kafkaTopic,
        String startingOffsets,
        OptionalLong maxOffsetsPerTrigger,
        String postgresUrl,
        String postgresUser,
        String postgresPassword,
        Duration windowDuration,
        Duration watermarkDelay,
        Duration triggerInterval,
        String checkpointDir,
        int shufflePartitions,
        String sparkMaster,
        boolean sparkPrometheusMetrics,
        Duration auditInterval,
        int rejectedPayloadMaxBytes) {

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,]+:\\d{1,5}");
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** The defaults alone, as if nothing was set. */
    public static JobSettings defaults() {
        return fromArgs(new String[0], Map.of());
    }

    /** Command-line {@code --key=value} arguments first, then the environment, then the defaults. */
    public static JobSettings fromArgs(String[] args, Map<String, String> environment) {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String fromEnv = environment.get(setting.envName());
            // An empty variable (docker-compose's "FOO=" or "${FOO}" unset) means "not set", not "empty".
            raw.put(setting, fromEnv == null || fromEnv.isBlank() ? setting.defaultValue() : fromEnv.trim());
        }
        raw.putAll(parseArgs(args));
        return fromValues(raw);
    }

    private static Map<Setting, String> parseArgs(String[] args) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new InvalidSettingException("Unexpected argument '" + arg + "': settings are given as --key=value, "
                        + "e.g. --kafka-topic=" + EventContract.TOPIC + ". Known keys: " + knownKeys());
            }
            String key = arg.substring(2, equals);
            Setting setting = settingFor(key);
            if (setting == null) {
                throw new InvalidSettingException("Unknown setting '--" + key + "'. Known keys: " + knownKeys());
            }
            values.put(setting, arg.substring(equals + 1).trim());
        }
        return values;
    }

    private static Setting settingFor(String key) {
        String normalized = key.toUpperCase(Locale.ROOT).replace('-', '_');
        return Stream.of(Setting.values()).filter(s -> s.name().equals(normalized)).findFirst().orElse(null);
    }

    private static String knownKeys() {
        return Stream.of(Setting.values()).map(s -> "--" + s.cliKey()).collect(Collectors.joining(", "));
    }

    private static JobSettings fromValues(Map<Setting, String> raw) {
        return new JobSettings(
                bootstrapServers(raw),
                matching(raw, Setting.KAFKA_TOPIC, TOPIC, "a Kafka topic name (letters, digits, '.', '_' or '-')"),
                startingOffsets(raw),
                maxOffsets(raw),
                postgresUrl(raw),
                nonBlank(raw, Setting.POSTGRES_USER),
                raw.get(Setting.POSTGRES_PASSWORD),
                duration(raw, Setting.WINDOW_DURATION, false),
                duration(raw, Setting.WATERMARK_DELAY, true),
                duration(raw, Setting.TRIGGER_INTERVAL, true),
                stripTrailingSlash(nonBlank(raw, Setting.CHECKPOINT_DIR)),
                shufflePartitions(raw),
                nonBlank(raw, Setting.SPARK_MASTER),
                bool(raw, Setting.SPARK_PROMETHEUS_METRICS),
                duration(raw, Setting.AUDIT_INTERVAL, true),
                rejectedPayloadMaxBytes(raw));
    }

    /** The window length and watermark delay that the aggregations take. */
    public WindowSpec windowSpec() {
        return new WindowSpec(windowDuration, watermarkDelay);
    }

    /** Each query checkpoints into a directory of its own under {@link #checkpointDir()}. */
    public String checkpointLocation(String queryName) {
        return checkpointDir + "/" + queryName;
    }

    /**
     * The Spark configuration that {@link Setting#SPARK_PROMETHEUS_METRICS} turns on (empty when off): the
     * streaming queries report their progress to Spark's metrics system, and Spark's PrometheusServlet serves
     * it on the driver's UI port (spark.ui.port, 4040 by default) at {@code /metrics/prometheus}, executors'
     * at {@code /metrics/executors/prometheus}. The namespace replaces the application id in the metric
     * names, so that they stay the same from one run to the next.
     */
    public Map<String, String> sparkMetricsConf() {
        if (!sparkPrometheusMetrics) {
            return Map.of();
        }
        return Map.of(
                "spark.sql.streaming.metricsEnabled", "true",
                "spark.metrics.conf.*.sink.prometheusServlet.class", "org.apache.spark.metrics.sink.PrometheusServlet",
                "spark.metrics.conf.*.sink.prometheusServlet.path", "/metrics/prometheus",
                "spark.metrics.namespace", "shopstream",
                "spark.ui.prometheus.enabled", "true");
    }

    /** One line for the start-up log; the password is not in it. */
    public String describe() {
        return "kafka=" + kafkaBootstrapServers + " topic=" + kafkaTopic + " startingOffsets=" + startingOffsets
                + " maxOffsetsPerTrigger=" + (maxOffsetsPerTrigger.isPresent() ? maxOffsetsPerTrigger.getAsLong() : "none")
                + " postgres=" + postgresUrl + " user=" + postgresUser
                + " window=" + Durations.format(windowDuration) + " watermark=" + Durations.format(watermarkDelay)
                + " trigger=" + Durations.format(triggerInterval) + " checkpoints=" + checkpointDir
                + " shufflePartitions=" + shufflePartitions + " master=" + sparkMaster
                + " sparkPrometheusMetrics=" + sparkPrometheusMetrics + " audit=" + Durations.format(auditInterval)
                + " rejectedPayloadMaxBytes=" + rejectedPayloadMaxBytes;
    }

    @Override
    public String toString() {
        return "JobSettings[" + describe() + "]";
    }

    private static String nonBlank(Map<Setting, String> raw, Setting setting) {
        String value = raw.get(setting);
        if (value == null || value.isBlank()) {
            throw new InvalidSettingException(setting, String.valueOf(value), "must not be empty");
        }
        return value;
    }

    private static boolean bool(Map<Setting, String> raw, Setting setting) {
        String value = nonBlank(raw, setting);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(setting, value, "expected true or false");
        };
    }

    private static String matching(Map<Setting, String> raw, Setting setting, Pattern pattern, String expected) {
        String value = nonBlank(raw, setting);
        if (!pattern.matcher(value).matches()) {
            throw new InvalidSettingException(setting, value, "expected " + expected);
        }
        return value;
    }

    private static String bootstrapServers(Map<Setting, String> raw) {
        String value = nonBlank(raw, Setting.KAFKA_BOOTSTRAP_SERVERS);
        for (String server : value.split(",", -1)) {
            if (!HOST_PORT.matcher(server.trim()).matches()) {
                throw new InvalidSettingException(Setting.KAFKA_BOOTSTRAP_SERVERS, value,
                        "expected host:port[,host:port...], e.g. localhost:9092");
            }
        }
        return value;
    }

    private static String startingOffsets(Map<Setting, String> raw) {
        String value = nonBlank(raw, Setting.STARTING_OFFSETS);
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("earliest") || lower.equals("latest")) {
            return lower;
        }
        if (value.startsWith("{") && value.endsWith("}")) {
            return value; // Spark's per-partition JSON; Spark itself validates the content
        }
        throw new InvalidSettingException(Setting.STARTING_OFFSETS, value,
                "expected earliest, latest or a JSON object such as {\"" + EventContract.TOPIC + "\":{\"0\":42}}");
    }

    private static OptionalLong maxOffsets(Map<Setting, String> raw) {
        String value = nonBlank(raw, Setting.MAX_OFFSETS_PER_TRIGGER);
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
            // reported below
        }
        throw new InvalidSettingException(Setting.MAX_OFFSETS_PER_TRIGGER, value, "expected a positive whole number or 'none'");
    }

    private static String postgresUrl(Map<Setting, String> raw) {
        String value = nonBlank(raw, Setting.POSTGRES_URL);
        if (!value.startsWith("jdbc:postgresql://")) {
            throw new InvalidSettingException(Setting.POSTGRES_URL, value,
                    "expected a PostgreSQL JDBC URL such as " + SchemaMigrations.DEFAULT_URL);
        }
        return value;
    }

    private static Duration duration(Map<Setting, String> raw, Setting setting, boolean zeroAllowed) {
        String value = nonBlank(raw, setting);
        Duration parsed;
        try {
            parsed = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, value, e.getMessage());
        }
        if (parsed.isNegative() || (!zeroAllowed && parsed.isZero())) {
            throw new InvalidSettingException(setting, value, zeroAllowed ? "must not be negative" : "must be positive");
        }
        if (parsed.compareTo(Duration.ofDays(365)) > 0) {
            throw new InvalidSettingException(setting, value, "must be at most 365 days");
        }
        if (parsed.getNano() % 1_000_000 != 0) {
            throw new InvalidSettingException(setting, value, "must be a whole number of milliseconds");
        }
        return parsed;
    }

    private static int shufflePartitions(Map<Setting, String> raw) {
        String value = nonBlank(raw, Setting.SHUFFLE_PARTITIONS);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= 10_000) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidSettingException(Setting.SHUFFLE_PARTITIONS, value, "expected a whole number from 1 to 10000");
    }

    /** Up to a mebibyte: the broker's default largest message; beyond it the cap would not bound anything. */
    private static int rejectedPayloadMaxBytes(Map<Setting, String> raw) {
        String value = nonBlank(raw, Setting.REJECTED_PAYLOAD_MAX_BYTES);
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed >= 0 && parsed <= 1 << 20) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidSettingException(Setting.REJECTED_PAYLOAD_MAX_BYTES, value, "expected a whole number of bytes from 0 to 1048576");
    }

    private static String stripTrailingSlash(String path) {
        String result = path;
        while (result.length() > 1 && result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}

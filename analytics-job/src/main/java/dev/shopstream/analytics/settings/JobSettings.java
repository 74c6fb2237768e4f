package dev.shopstream.analytics.settings;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.shopstream.contract.EventContract;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Everything the job is configured with, typed and validated once at start-up. Each value comes from the
 * command line ({@code --kafka-topic=x} or {@code --KAFKA_TOPIC=x}), else the environment variable
 * ({@code KAFKA_TOPIC}; blank counts as unset), else the default of {@link Setting}. A bad value fails here, naming
 * the setting, rather than as an obscure Spark error minutes later.
 *
 * <p>picocli does the parsing (both spellings of each key, the environment as its default provider, the usage text);
 * {@link SettingValues} holds what each setting accepts, as picocli converters; this class words picocli's refusals
 * the way the job always has ("Invalid setting NAME (--key) = 'value': expected ...").
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

    /** The defaults alone, as if nothing was set. */
    public static JobSettings defaults() {
        return fromArgs(new String[0], Map.of());
    }

    /** Command-line {@code --key=value} arguments first, then the environment, then the defaults. */
    public static JobSettings fromArgs(String[] args, Map<String, String> environment) {
        CommandSpec spec = commandSpec();
        CommandLine command = new CommandLine(spec);
        // An empty variable (docker-compose's "FOO=" or "${FOO}" unset) means "not set", not "empty".
        command.setDefaultValueProvider(option -> {
            String value = environment.get(setting(option).envName());
            return value == null || value.isBlank() ? null : value.trim();
        });
        try {
            command.parseArgs(args);
        } catch (ParameterException e) {
            throw refusal(e);
        }
        return new JobSettings(
                value(spec, Setting.KAFKA_BOOTSTRAP_SERVERS, String.class),
                value(spec, Setting.KAFKA_TOPIC, String.class),
                value(spec, Setting.STARTING_OFFSETS, String.class),
                value(spec, Setting.MAX_OFFSETS_PER_TRIGGER, OptionalLong.class),
                value(spec, Setting.POSTGRES_URL, String.class),
                value(spec, Setting.POSTGRES_USER, String.class),
                value(spec, Setting.POSTGRES_PASSWORD, String.class),
                value(spec, Setting.WINDOW_DURATION, Duration.class),
                value(spec, Setting.WATERMARK_DELAY, Duration.class),
                value(spec, Setting.TRIGGER_INTERVAL, Duration.class),
                value(spec, Setting.CHECKPOINT_DIR, String.class),
                value(spec, Setting.SHUFFLE_PARTITIONS, Integer.class),
                value(spec, Setting.SPARK_MASTER, String.class),
                value(spec, Setting.SPARK_PROMETHEUS_METRICS, Boolean.class),
                value(spec, Setting.AUDIT_INTERVAL, Duration.class),
                value(spec, Setting.REJECTED_PAYLOAD_MAX_BYTES, Integer.class));
    }

    /** The settings' part of {@code --help}: each key in both spellings, what it is, and its default. */
    public static String usage() {
        return new CommandLine(commandSpec()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** One option per setting, under both its keys; the setting itself is the option's user object. */
    private static CommandSpec commandSpec() {
        CommandSpec spec = CommandSpec.create().name("analytics-job");
        spec.usageMessage().sortOptions(false).width(120)
                .description("Settings: command line --key=value, else the environment variable, else the default.");
        for (Setting setting : Setting.values()) {
            spec.addOption(OptionSpec.builder("--" + setting.cliKey(), "--" + setting.envName())
                    .paramLabel(setting.envName())
                    .arity("1") // a value each, true/false too: the same --key=value form for every setting
                    .type(SettingValues.type(setting))
                    .converters(SettingValues.converter(setting))
                    .defaultValue(setting.defaultValue())
                    .description(setting.description() + " (default: " + setting.defaultValue() + ")")
                    .userObject(setting)
                    .build());
        }
        return spec;
    }

    private static Setting setting(ArgSpec option) {
        return (Setting) option.userObject();
    }

    private static <T> T value(CommandSpec spec, Setting setting, Class<T> type) {
        return type.cast(spec.findOption("--" + setting.cliKey()).getValue());
    }

    /** picocli's refusal, worded as the job's: which setting, the value, and what it expects. */
    private static InvalidSettingException refusal(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) {
            String argument = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
            if (argument.startsWith("--")) {
                String key = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
                return new InvalidSettingException("Unknown setting '" + key + "'. Known keys: " + knownKeys());
            }
            return new InvalidSettingException("Unexpected argument '" + argument + "': settings are given as --key=value, "
                    + "e.g. --kafka-topic=" + EventContract.TOPIC + ". Known keys: " + knownKeys());
        }
        if (e.getCause() instanceof TypeConversionException expected && e.getArgSpec() != null) {
            return new InvalidSettingException(setting(e.getArgSpec()), e.getValue(), expected.getMessage());
        }
        return new InvalidSettingException(e.getMessage() + ". Settings are given as --key=value.");
    }

    private static String knownKeys() {
        return Stream.of(Setting.values()).map(s -> "--" + s.cliKey()).collect(Collectors.joining(", "));
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
}

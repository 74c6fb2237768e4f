package dev.shopstream.analytics.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;

class JobSettingsTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        JobSettings settings = JobSettings.fromArgs(new String[0], Map.of());

        assertThat(settings.kafkaBootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.kafkaTopic()).isEqualTo(EventContract.TOPIC);
        assertThat(settings.startingOffsets()).isEqualTo("earliest");
        assertThat(settings.maxOffsetsPerTrigger()).isEqualTo(OptionalLong.of(500_000));
        assertThat(settings.postgresUrl()).isEqualTo("jdbc:postgresql://localhost:5432/analytics");
        assertThat(settings.postgresUser()).isEqualTo("postgres");
        assertThat(settings.postgresPassword()).isEqualTo("postgres");
        assertThat(settings.windowDuration()).isEqualTo(AnalyticsSchema.DEFAULT_WINDOW);
        assertThat(settings.watermarkDelay()).isEqualTo(AnalyticsSchema.DEFAULT_WATERMARK_DELAY);
        assertThat(settings.triggerInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.checkpointDir()).isEqualTo("/tmp/shopstream-checkpoints");
        assertThat(settings.shufflePartitions()).isEqualTo(2);
        assertThat(settings.sparkMaster()).isEqualTo("local[*]");
        assertThat(settings.sparkPrometheusMetrics()).isFalse();
        assertThat(settings.sparkMetricsConf()).isEmpty();
    }

    @Test
    void shouldTurnOnSparksStreamingMetricsAndPrometheusServletWithOneSetting() {
        JobSettings fromEnv = JobSettings.fromArgs(new String[0], Map.of("SPARK_PROMETHEUS_METRICS", "TRUE"));
        JobSettings fromCli = JobSettings.fromArgs(new String[] {"--spark-prometheus-metrics=true"}, Map.of());

        assertThat(fromEnv.sparkPrometheusMetrics()).isTrue();
        assertThat(fromCli.sparkMetricsConf()).isEqualTo(fromEnv.sparkMetricsConf()).isEqualTo(Map.of(
                "spark.sql.streaming.metricsEnabled", "true",
                "spark.metrics.conf.*.sink.prometheusServlet.class", "org.apache.spark.metrics.sink.PrometheusServlet",
                "spark.metrics.conf.*.sink.prometheusServlet.path", "/metrics/prometheus",
                "spark.metrics.namespace", "shopstream",
                "spark.ui.prometheus.enabled", "true"));
        assertThat(fromCli.describe()).contains("sparkPrometheusMetrics=true");
        assertThat(JobSettings.fromArgs(new String[] {"--spark-prometheus-metrics=false"}, Map.of("SPARK_PROMETHEUS_METRICS", "true"))
                .sparkMetricsConf()).isEmpty();
    }

    @Test
    void shouldTakeEnvironmentVariablesOverDefaults() {
        JobSettings settings = JobSettings.fromArgs(new String[0], Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:29092", "POSTGRES_URL", "jdbc:postgresql://db:5432/analytics",
                "WINDOW_DURATION", "5 minutes", "MAX_OFFSETS_PER_TRIGGER", "none", "CHECKPOINT_DIR", "/data/checkpoints/"));

        assertThat(settings.kafkaBootstrapServers()).isEqualTo("kafka:29092");
        assertThat(settings.postgresUrl()).isEqualTo("jdbc:postgresql://db:5432/analytics");
        assertThat(settings.windowDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxOffsetsPerTrigger()).isEmpty();
        assertThat(settings.checkpointLocation("product_views")).isEqualTo("/data/checkpoints/product_views");
    }

    @Test
    void shouldTakeCommandLineOverEnvironmentInEitherSpelling() {
        JobSettings settings = JobSettings.fromArgs(
                new String[] {"--kafka-topic=from_cli", "--SHUFFLE_PARTITIONS=3", "--trigger-interval=500ms"},
                Map.of("KAFKA_TOPIC", "from_env", "SHUFFLE_PARTITIONS", "8"));

        assertThat(settings.kafkaTopic()).isEqualTo("from_cli");
        assertThat(settings.shufflePartitions()).isEqualTo(3);
        assertThat(settings.triggerInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldTreatBlankEnvironmentVariableAsUnset() {
        JobSettings settings = JobSettings.fromArgs(new String[0], Map.of("KAFKA_TOPIC", " ", "WATERMARK_DELAY", ""));

        assertThat(settings.kafkaTopic()).isEqualTo(EventContract.TOPIC);
        assertThat(settings.watermarkDelay()).isEqualTo(AnalyticsSchema.DEFAULT_WATERMARK_DELAY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "KAFKA_BOOTSTRAP_SERVERS | localhost",
        "KAFKA_BOOTSTRAP_SERVERS | localhost:9092,",
        "KAFKA_TOPIC             | user events",
        "STARTING_OFFSETS        | yesterday",
        "MAX_OFFSETS_PER_TRIGGER | -5",
        "MAX_OFFSETS_PER_TRIGGER | lots",
        "POSTGRES_URL            | jdbc:mysql://localhost/analytics",
        "WINDOW_DURATION         | 0 minutes",
        "WINDOW_DURATION         | 2",
        "WINDOW_DURATION         | two minutes",
        "WINDOW_DURATION         | 2 fortnights",
        "WATERMARK_DELAY         | -1 minute",
        "TRIGGER_INTERVAL        | 0.5 ms",
        "TRIGGER_INTERVAL        | 400 days",
        "SHUFFLE_PARTITIONS      | 0",
        "SHUFFLE_PARTITIONS      | four",
        "SPARK_PROMETHEUS_METRICS | yes please",
    })
    void shouldFailFastNamingTheSettingWithBadValue(String name, String value) {
        Setting setting = Setting.valueOf(name);

        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--" + setting.cliKey() + "=" + value}, Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("Invalid setting " + name + " (--" + setting.cliKey() + ") = '" + value + "'")
                .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo(setting));
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[0], Map.of(name, value)))
                .hasMessageContaining(name);
    }

    @Test
    void shouldRejectUnknownOrMalformedCommandLineArguments() {
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--kafka-topics=x"}, Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("Unknown setting '--kafka-topics'")
                .hasMessageContaining("--kafka-topic");
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {EventContract.TOPIC}, Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("--key=value");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2 minutes   | PT2M",
        "1 minute    | PT1M",
        "90s         | PT1M30S",
        "500 ms      | PT0.5S",
        "1.5 hours   | PT1H30M",
        "PT2M        | PT2M",
        "pt30s       | PT30S",
        "2 MINUTES   | PT2M",
        "0 seconds   | PT0S",
    })
    void shouldParseDurationsInCommonSpellings(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void shouldTakeAValidCommandLineValueOverABadEnvironmentVariable() {
        JobSettings settings = JobSettings.fromArgs(new String[] {"--window-duration=5 minutes"}, Map.of("WINDOW_DURATION", "2"));

        assertThat(settings.windowDuration()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldRefuseAKeyWithoutAValue() {
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--kafka-topic"}, Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("--kafka-topic")
                .hasMessageContaining("--key=value");
    }

    @Test
    void shouldListEverySettingInBothSpellingsWithItsDefaultInTheUsage() {
        String usage = JobSettings.usage().replaceAll("\\s+", " "); // picocli wraps long descriptions

        for (Setting setting : Setting.values()) {
            assertThat(usage).contains("--" + setting.cliKey() + ", --" + setting.envName())
                    .contains("(default: " + setting.defaultValue() + ")");
        }
    }

    @Test
    void shouldNotPrintThePasswordWhenDescribed() {
        JobSettings settings = JobSettings.fromArgs(new String[] {"--postgres-password=s3cret"}, Map.of());

        assertThat(settings.toString()).doesNotContain("s3cret");
        assertThat(settings.describe()).doesNotContain("s3cret");
    }
}

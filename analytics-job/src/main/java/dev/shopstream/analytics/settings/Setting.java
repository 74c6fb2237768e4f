package dev.shopstream.analytics.settings;

import java.util.Locale;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.schema.SchemaMigrations;

/**
 * Every knob of the job, with its environment variable name (what docker-compose and the local stack set),
 * its command-line key and its default. The names are part of the deployment contract: do not rename.
 */
public enum Setting {
    KAFKA_BOOTSTRAP_SERVERS("localhost:9092", "Kafka brokers, host:port[,host:port...]"),
    KAFKA_TOPIC(EventContract.TOPIC, "topic of the user events"),
    STARTING_OFFSETS("earliest", "where a query without a checkpoint starts: earliest, latest or Spark's JSON offsets"),
    MAX_OFFSETS_PER_TRIGGER("500000", "cap on Kafka records per micro-batch; none = unlimited"),
    POSTGRES_URL(SchemaMigrations.DEFAULT_URL, "JDBC URL of the analytics database"),
    POSTGRES_USER("postgres", "database user"),
    POSTGRES_PASSWORD("postgres", "database password"),
    WINDOW_DURATION(Durations.format(AnalyticsSchema.DEFAULT_WINDOW), "length of the tumbling event-time windows"),
    WATERMARK_DELAY(Durations.format(AnalyticsSchema.DEFAULT_WATERMARK_DELAY), "how far behind the newest event time an event may arrive and still count"),
    TRIGGER_INTERVAL("250 ms", "micro-batch interval (0 = back to back)"),
    CHECKPOINT_DIR("/tmp/shopstream-checkpoints", "checkpoint root, one sub-directory per query; any Hadoop path"),
    SHUFFLE_PARTITIONS("2", "spark.sql.shuffle.partitions; fixed into the checkpoint at the first run"),
    SPARK_MASTER("local[*]", "Spark master, used only when spark-submit has not set spark.master"),
    SPARK_PROMETHEUS_METRICS("false", "true: Spark's streaming metrics in Prometheus format at /metrics/prometheus on the job's UI port"),
    AUDIT_INTERVAL("5 minutes", "how often the job audits its closed windows not found exact yet against an independent recompute from Kafka (0 = never; --audit runs one)"),
    REJECTED_PAYLOAD_MAX_BYTES("4096", "bytes of a rejected record's value kept in " + AnalyticsSchema.REJECTED_EVENTS + " (its length and SHA-256 are always kept)");

    private final String defaultValue;
    private final String description;

    Setting(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The environment variable that sets it. */
    public String envName() {
        return name();
    }

    /** The command-line key, without the leading {@code --}: kafka-bootstrap-servers. */
    public String cliKey() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** How error messages name it: both spellings, so whoever set it finds it. */
    public String label() {
        return envName() + " (--" + cliKey() + ")";
    }
}

package dev.shopstream.analytics.settings;

import java.util.Locale;

/**
 * Every knob of the job, with its environment variable name (what docker-compose and the local stack set),
 * its command-line key and its default. The names are part of the deployment contract: do not rename.
 */
public enum Setting {
    KAFKA_BOOTSTRAP_SERVERS("localhost:9092", "Kafka brokers, host:port[,host:port...]"),
    KAFKA_TOPIC("user_events", "topic of the user events"),
    STARTING_OFFSETS("earliest", "where a query without a checkpoint starts: earliest, latest or Spark's JSON offsets"),
    MAX_OFFSETS_PER_TRIGGER("1000000", "cap on Kafka records per micro-batch; none = unlimited"),
    POSTGRES_URL("jdbc:postgresql://localhost:5432/analytics", "JDBC URL of the analytics database"),
    POSTGRES_USER("postgres", "database user"),
    POSTGRES_PASSWORD("postgres", "database password"),
    WINDOW_DURATION("2 minutes", "length of the tumbling event-time windows"),
    WATERMARK_DELAY("1 minute", "how far behind the newest event time an event may arrive and still count"),
    TRIGGER_INTERVAL("500 ms", "micro-batch interval (0 = back to back)"),
    CHECKPOINT_DIR("/tmp/shopstream-checkpoints", "checkpoint root, one sub-directory per query; any Hadoop path"),
    SHUFFLE_PARTITIONS("2", "spark.sql.shuffle.partitions; fixed into the checkpoint at the first run"),
    SPARK_MASTER("local[*]", "Spark master, used only when spark-submit has not set spark.master"),
    SPARK_PROMETHEUS_METRICS("false", "true: Spark's streaming metrics in Prometheus format at /metrics/prometheus on the job's UI port"),
    AUDIT_INTERVAL("5 minutes", "how often the job audits its closed windows not found exact yet against an independent recompute from Kafka (0 = never; --audit runs one)"),
    REJECTED_PAYLOAD_MAX_BYTES("4096", "bytes of a rejected record's value kept in rejected_events (its length and SHA-256 are always kept)");

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

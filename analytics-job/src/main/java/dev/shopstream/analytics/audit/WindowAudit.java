package dev.shopstream.analytics.audit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.shopstream.analytics.audit.BatchRanges.Batch;
import dev.shopstream.analytics.audit.BatchRanges.TopicPartition;
import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.pipeline.StreamingPipeline;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.windows.WindowAggregations;

/**
 * The audit: recomputes the closed windows from Kafka in batch, with the stream's own parser and aggregation
 * ({@link EventParser}, {@link WindowAggregations#windowTotals}) on a batch read bounded by the newest committed
 * batch's end offsets, finds the records the watermark dropped (each record joined with the batch that read it,
 * by Kafka position, and its event time compared with that batch's watermark), and compares every table with
 * the recompute minus the late part ({@link AuditComparison}). Optionally folds the late events in first.
 *
 * <p>Audited: windows the newest watermark has closed ({@code window_end <= watermark}), whose records are all
 * still in Kafka. When Kafka (or the progress table) no longer holds the first batches, only windows starting
 * after {@code watermark(first retained batch) + WATERMARK_DELAY} are audited: a record of an earlier batch had
 * an event time at most the newest event time before that batch, which is that watermark plus the delay.
 */
public final class WindowAudit {

    /** The fair-scheduler pool of the audit's Spark jobs: the stream's run in the default pool. */
    public static final String POOL = "audit";
    /** At least this many tasks read the topic (Spark splits the offset ranges). */
    static final int READ_TASKS = 24;
    private static final Logger LOG = LogManager.getLogger(WindowAudit.class);

    private final SparkSession spark;
    private final JobSettings settings;
    private final AuditStore store;

    public WindowAudit(SparkSession spark, JobSettings settings) {
        this.spark = spark;
        this.settings = settings;
        this.store = new AuditStore(JdbcTarget.from(settings));
    }

    /** Audits and records the result (audit_window, late_events). */
    public AuditReport run() throws SQLException {
        return run(false);
    }

    /**
     * With {@code fold}: first rewrites every window holding late events not folded yet from the batch recompute
     * (window_totals and the three tables), marks them folded, then audits. Running it again folds nothing more.
     */
    public AuditReport run(boolean fold) throws SQLException {
        long started = System.nanoTime();
        // This thread's Spark jobs go to the audit's own pool (fair against the stream's default pool).
        spark.sparkContext().setLocalProperty("spark.scheduler.pool", POOL);
        BatchRanges all;
        try (Connection connection = store.connect()) {
            all = BatchRanges.load(connection, StreamingPipeline.QUERY_NAME);
        }
        if (all.newest().isEmpty() || all.newest().get().watermark() == null) {
            return new AuditReport(null, List.of(), 0, 0); // nothing is closed yet
        }
        Batch newest = all.newest().get();
        BatchRanges retained = all.retainedFrom(earliestOffsets(newest.end().keySet()));
        if (retained.batches().isEmpty()) {
            return new AuditReport(newest.watermark(), List.of(), 0, 0);
        }
        Batch first = retained.batches().get(0);
        Instant closedUntil = newest.watermark();
        Instant auditedAfter = first.batchId() == 0 || first.watermark() == null ? Instant.EPOCH.minus(Duration.ofDays(365 * 100))
                : first.watermark().plus(settings.watermarkDelay());

        Dataset<Row> read = readRecords(retained, newest);
        read.persist();
        try {
            Dataset<Row> totals = WindowAggregations.windowTotals(EventParser.eventColumns(read), settings.windowSpec())
                    .filter(col(WindowAggregations.WINDOW_END).leq(lit(Timestamp.from(closedUntil)))
                            .and(col(WindowAggregations.WINDOW_START).gt(lit(Timestamp.from(auditedAfter)))));
            totals.persist();
            try {
                List<LateRecord> late = lateRecords(read, closedUntil, auditedAfter);
                BatchValues batch = new BatchValues(totals.collectAsList(),
                        WindowAggregations.productViewsOf(totals).collectAsList(),
                        WindowAggregations.categoryActivityOf(totals).collectAsList(),
                        WindowAggregations.categoryRevenueOf(totals).collectAsList());
                AuditReport report = store.record(batch, late, closedUntil, auditedAfter, fold);
                LOG.info("{} in {} ms (closed until {}, from {} batches)", report.summary(),
                        (System.nanoTime() - started) / 1_000_000, closedUntil, retained.batches().size());
                return report;
            } finally {
                totals.unpersist();
            }
        } finally {
            read.unpersist();
        }
    }

    /** The batch values of the audited windows: fine totals (for a fold) and the three tables' rows. */
    record BatchValues(List<Row> windowTotals, List<Row> productViews, List<Row> categoryActivity, List<Row> categoryRevenue) {
    }

    /** Valid records read by a retained batch, with that batch's id and watermark and whether it was late. */
    private Dataset<Row> readRecords(BatchRanges retained, Batch newest) {
        Dataset<Row> kafka = spark.read().format("kafka")
                .option("kafka.bootstrap.servers", settings.kafkaBootstrapServers())
                .option("subscribe", settings.kafkaTopic())
                .option("startingOffsets", "earliest")
                .option("endingOffsets", BatchRanges.toJson(newest.end()))
                // Many short tasks instead of one per Kafka partition: a task holds its core until it ends, and
                // the stream's next batch should not wait behind a whole partition's worth of reading.
                .option("minPartitions", String.valueOf(READ_TASKS))
                .load();
        StructType schema = new StructType()
                .add("b_topic", DataTypes.StringType).add("b_partition", DataTypes.IntegerType)
                .add("b_start", DataTypes.LongType).add("b_end", DataTypes.LongType)
                .add("b_batch", DataTypes.LongType).add("b_watermark", DataTypes.TimestampType);
        List<Row> rows = new ArrayList<>();
        for (BatchRange range : retained.ranges()) {
            rows.add(RowFactory.create(range.topic(), range.partition(), range.start(), range.end(), range.batchId(),
                    range.watermark() == null ? null : Timestamp.from(range.watermark())));
        }
        Dataset<Row> ranges = spark.createDataFrame(rows, schema);
        Dataset<Row> valid = EventParser.parse(kafka).filter(col(EventParser.REJECT_REASON).isNull());
        return valid.join(broadcast(ranges), col("topic").equalTo(col("b_topic"))
                        .and(col("partition").equalTo(col("b_partition")))
                        .and(col("offset").geq(col("b_start"))).and(col("offset").lt(col("b_end"))))
                // BatchRange.isLate: Spark drops an event at or behind the watermark (eventTime <= watermark).
                .withColumn("late", col("b_watermark").isNotNull().and(col(EventParser.EVENT_TIME).leq(col("b_watermark"))));
    }

    /** The late records of the audited windows, each marked when another copy of its event was counted. */
    private List<LateRecord> lateRecords(Dataset<Row> read, Instant closedUntil, Instant auditedAfter) {
        Dataset<Row> counted = read.filter(not(col("late"))).select(col(EventParser.EVENT_ID).as("counted_id")).distinct();
        List<Row> rows = read.filter(col("late"))
                .join(counted, col(EventParser.EVENT_ID).equalTo(col("counted_id")), "left")
                .select(col("topic"), col("partition"), col("offset"), col(EventParser.EVENT_ID), col(EventParser.EVENT_TYPE),
                        col(EventParser.PRODUCT_ID), col(EventParser.CATEGORY), col(EventParser.PRICE), col(EventParser.EVENT_TIME),
                        col("b_watermark"), col("b_batch"), col("counted_id").isNotNull().as("already_counted"))
                .collectAsList();
        Duration window = settings.windowDuration();
        List<LateRecord> late = new ArrayList<>();
        for (Row row : rows) {
            LateRecord record = LateRecord.of(row, window);
            if (!record.windowEnd().isAfter(closedUntil) && record.windowStart().isAfter(auditedAfter)) {
                late.add(record);
            }
        }
        return late;
    }

    /** The first offset Kafka still holds in each partition the query has read. */
    private Map<TopicPartition, Long> earliestOffsets(java.util.Set<TopicPartition> partitions) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<TopicPartition, Long> earliest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<org.apache.kafka.common.TopicPartition> kafkaPartitions = partitions.stream()
                    .map(tp -> new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())).toList();
            consumer.beginningOffsets(kafkaPartitions, Duration.ofSeconds(30)).forEach((tp, offset) ->
                    earliest.put(new TopicPartition(tp.topic(), tp.partition()), offset));
        }
        return earliest;
    }
}

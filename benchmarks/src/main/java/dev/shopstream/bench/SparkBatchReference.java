package dev.shopstream.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.events.RejectedRecordFilter;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.RejectedPayload;
import dev.shopstream.analytics.sink.AnalyticsBatch;
import dev.shopstream.analytics.sink.AnalyticsWriter;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.windows.WindowAggregations;
import dev.shopstream.analytics.settings.WindowSpec;

/**
 * The job throughput's reference, run in a JVM of its own on the job's classpath: for each topic, the whole
 * topic read with {@code spark.read().format("kafka")}, parsed once by the job's {@link EventParser}, the job's
 * {@link WindowAggregations#windowTotals} over it, and the totals and rejected records written through the
 * job's {@link AnalyticsWriter} (which recomputes the three tables): the streaming query's work as one batch
 * job, without state stores or micro-batches. Prints one {@value #RESULT} line per topic.
 *
 * <p>Arguments: bootstrap servers, JDBC URL, user, password, topics...
 */
public final class SparkBatchReference {

    static final String SESSION = "BATCH_SESSION";
    static final String RESULT = "BATCH_RESULT";
    static final String DONE = "BATCH_DONE";

    private SparkBatchReference() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        JdbcTarget target = new JdbcTarget(args[1], args[2], args[3]);
        long start = System.nanoTime();
        // Configured as the job configures its session (AnalyticsJob.session): local[*], 2 shuffle partitions, UTC.
        SparkSession spark = SparkSession.builder().appName("shopstream-batch-reference").master("local[*]")
                .config("spark.sql.shuffle.partitions", 2)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", false)
                .getOrCreate();
        System.out.println(SESSION + " millis=" + (System.nanoTime() - start) / 1_000_000);
        WindowSpec spec = WindowSpec.defaults();
        for (int i = 4; i < args.length; i++) {
            String topic = args[i];
            truncate(target);
            long t0 = System.nanoTime();
            Dataset<Row> kafka = spark.read().format("kafka").option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic)
                    .option("startingOffsets", "earliest").option("endingOffsets", "latest").load();
            // Parsed once: the rejects are stored by the tasks that read them, as the stream stores them.
            LongAccumulator rejectedCount = spark.sparkContext().longAccumulator("batch_reference_rejected");
            RejectedRecordFilter rejects = new RejectedRecordFilter(rejectedCount, target, RejectedPayload.DEFAULT_MAX_BYTES);
            List<Row> totals = WindowAggregations.windowTotals(rejects.validEvents(EventParser.parse(kafka)), spec).collectAsList();
            long count = totals.stream().mapToLong(row -> row.getLong(5)).sum();
            new AnalyticsWriter(target, "batch_reference", java.util.UUID.randomUUID().toString()).write(new AnalyticsBatch(0, totals, rejectedCount.value(), 0, null));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println(RESULT + " topic=" + topic + " events=" + count + " millis=" + millis
                    + " activity_total=" + total(target, "SELECT coalesce(sum(event_count), 0) FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW)
                    + " view_total=" + total(target, "SELECT coalesce(sum(view_count), 0) FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW));
            System.out.flush();
        }
        spark.stop();
        System.out.println(DONE + " peak_rss_kib=" + Bench.vmHwmKib(ProcessHandle.current().pid()));
        System.out.flush();
    }

    private static void truncate(JdbcTarget target) throws Exception {
        try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + String.join(", ", AnalyticsSchema.WINDOW_TOTALS, AnalyticsSchema.PRODUCT_VIEW_WINDOW,
                    AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, AnalyticsSchema.CATEGORY_REVENUE_WINDOW, AnalyticsSchema.REJECTED_EVENTS));
        }
    }

    private static long total(JdbcTarget target, String sql) throws Exception {
        try (Connection connection = target.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

package dev.shopstream.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.sink.PostgresUpsertSink;
import dev.shopstream.analytics.sink.SinkTable;
import dev.shopstream.analytics.windows.WindowAggregations;
import dev.shopstream.analytics.windows.WindowSpec;

/**
 * The job throughput's reference, run in a JVM of its own on the job's classpath: for each topic, the whole
 * topic read with {@code spark.read().format("kafka")}, parsed once by the job's {@link EventParser}, and the
 * job's three {@link WindowAggregations} written through the job's {@link PostgresUpsertSink}: one batch job
 * instead of three streaming queries. Prints one {@value #RESULT} line per topic.
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
            Dataset<Row> events = EventParser.validEvents(EventParser.parse(kafka)).persist(StorageLevel.MEMORY_AND_DISK());
            long count = events.count();
            new PostgresUpsertSink(SinkTable.productViewWindow(), target).call(WindowAggregations.productViews(events, spec), 0L);
            new PostgresUpsertSink(SinkTable.categoryActivityWindow(), target).call(WindowAggregations.categoryActivity(events, spec), 0L);
            new PostgresUpsertSink(SinkTable.categoryRevenueWindow(), target).call(WindowAggregations.categoryRevenue(events, spec), 0L);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            events.unpersist(true);
            System.out.println(RESULT + " topic=" + topic + " events=" + count + " millis=" + millis
                    + " activity_total=" + total(target, "SELECT coalesce(sum(event_count), 0) FROM category_activity_window")
                    + " view_total=" + total(target, "SELECT coalesce(sum(view_count), 0) FROM product_view_window"));
            System.out.flush();
        }
        spark.stop();
        System.out.println(DONE + " peak_rss_kib=" + Bench.vmHwmKib(ProcessHandle.current().pid()));
        System.out.flush();
    }

    private static void truncate(JdbcTarget target) throws Exception {
        try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE product_view_window, category_activity_window, category_revenue_window");
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

package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * Runs the streaming job (as the local stack does: its own JVM, all its queries, from the earliest offset)
 * over a preloaded topic until stream_progress shows that each of its queries (as its ready line names them)
 * has read every event, and the Spark batch reference over the same topics.
 */
final class JobRunner {

    static final List<String> WINDOW_QUERIES = List.of(AnalyticsSchema.QUERY_NAME);

    /** How a run starts the job: in a JVM of its own (local mode), or submitted to a cluster. */
    @FunctionalInterface
    interface Launcher {
        AnalyticsJobProcess.Started start(Map<String, String> settings, Path tmp);
    }

    /** The job's heap and collector, as ./run-local.sh gives them. */
    static final List<String> JOB_MEMORY = AnalyticsJobProcess.LOCAL_MEMORY;
    /** The same, as the tables print it. */
    static final String JOB_MEMORY_TEXT = String.join(" ", JOB_MEMORY);
    /**
     * The batch reference's heap. It reads the whole topic in one Spark job (the stream takes at most
     * MAX_OFFSETS_PER_TRIGGER records a batch): with 1 GB it ran out of heap on --full's 2,000,000 events.
     */
    static final String BATCH_REFERENCE_HEAP = "-Xmx2g";

    private final Stack stack;
    private final PostgresDatabase db;
    private int runs;

    JobRunner(Stack stack, PostgresDatabase db) {
        this.stack = stack;
        this.db = db;
    }

    /**
     * @param eventsPerSecond        records of the topic per second from JOB_READY to the end of the last batch with data
     * @param secondsFromLaunch      from the launch of the job's JVM to the end of the last batch with data
     * @param totals                 the three tables as read back at the end, key by key
     * @param lateRowsDropped        stream_progress.late_rows_dropped summed: rows behind the watermark
     */
    record StreamRun(String label, long events, double secondsToReady, double secondsToFirstBatch, double processingSeconds,
                     double eventsPerSecond, long peakRssKib, long activityTotal, long viewTotal, long distinctProducts, int batches,
                     double secondsFromLaunch, AnalyticsTotals totals, long lateRowsDropped, long rejectedRows, long peakHeapKib) {
        double eventsPerSecondFromLaunch() {
            return events / secondsFromLaunch;
        }
    }

    /**
     * A preloaded topic.
     *
     * @param events          records in the topic (valid or not, duplicates included): what every rate divides
     * @param expectedEvents  events that count (valid, each event_id once)
     * @param views           of which product views
     * @param expected        the generator's per-key totals, or null (the clean profile is checked by its sums)
     */
    record TopicSpec(String topic, long events, long expectedEvents, long views, AnalyticsTotals expected, String description) {
        static TopicSpec of(String topic, long records, TopicTraffic traffic) {
            return new TopicSpec(topic, records, traffic.expectedEvents(), traffic.expectedViews(), traffic.expectedTotals(), traffic.describe());
        }
    }

    /**
     * @param extraJvm e.g. the RocksDB state store provider as -Dspark.sql.streaming.stateStore.providerClass=...
     */
    StreamRun stream(String label, TopicSpec topic, List<String> extraJvm, Map<String, String> extraEnv, Duration timeout) {
        List<String> jvm = Stack.jobJvm(extraJvm);
        return stream(label, topic, extraEnv, timeout,
                (settings, tmp) -> AnalyticsJobProcess.start(stack.layout, settings, jvm, tmp, stack.echo(), stack.quiet()));
    }

    StreamRun stream(String label, TopicSpec topic, Map<String, String> extraEnv, Duration timeout, Launcher launcher) {
        db.truncateAll();
        int run = ++runs;
        Path checkpoints = stack.dir("checkpoints-" + run);
        Path tmp = stack.dir("job-tmp-" + run);
        Map<String, String> settings = AnalyticsJobProcess.settings(stack.bootstrap(), db, checkpoints);
        settings.put("KAFKA_TOPIC", topic.topic());
        settings.putAll(extraEnv);
        settings.putAll(Stack.extraJobEnv);
        Instant start = Instant.now();
        AnalyticsJobProcess.Started started = launcher.start(settings, tmp);
        ManagedProcess job = stack.track(started.process());
        List<String> queries = started.queryNames();
        Instant ready = Instant.now();
        HeapWatch heap = new HeapWatch(job.pid());
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            Progress progress;
            while (true) {
                progress = progress(queries);
                if (progress.allRead(queries, topic.events())) {
                    break;
                }
                if (!job.isAlive()) {
                    throw new IllegalStateException("the job exited. Its last output:\n" + job.recentOutput());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(label + ": the job had not read all " + topic.events() + " events within " + timeout
                            + " (read " + progress.read + ")");
                }
                Bench.sleep(Duration.ofMillis(250));
            }
            long rss = Bench.vmHwmKib(job.pid());
            double processing = Duration.between(ready, progress.lastDataBatchEnd).toMillis() / 1000.0;
            long activity = scalar("SELECT coalesce(sum(event_count), 0) FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW);
            long views = scalar("SELECT coalesce(sum(view_count), 0) FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW);
            long distinct = scalar("SELECT count(DISTINCT product_id) FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW);
            int batches = (int) scalar("SELECT count(*) FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE input_rows > 0 AND query_name = '" + queries.get(0) + "'");
            logBatches(queries.get(0));
            long late = scalar("SELECT coalesce(sum(late_rows_dropped), 0) FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = '" + queries.get(0) + "'");
            long rejected = scalar("SELECT coalesce(sum(rejected_rows), 0) FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = '" + queries.get(0) + "'");
            return new StreamRun(label, topic.events(), Duration.between(start, ready).toMillis() / 1000.0,
                    Duration.between(start, progress.firstBatchEnd).toMillis() / 1000.0, processing, topic.events() / processing,
                    rss, activity, views, distinct, batches, Duration.between(start, progress.lastDataBatchEnd).toMillis() / 1000.0,
                    tables(), late, rejected, heap.peakKib());
        } finally {
            heap.close();
            Stack.stop(job);
            Bench.deleteRecursively(checkpoints);
            Bench.deleteRecursively(tmp);
        }
    }

    private record Progress(Map<String, Long> read, Instant firstBatchEnd, Instant lastDataBatchEnd) {
        boolean allRead(List<String> queries, long events) {
            return queries.stream().allMatch(q -> read.getOrDefault(q, 0L) >= events);
        }
    }

    /** Per query: events read so far; the end of the first batch of any query; the end of the last batch with data. */
    private Progress progress(List<String> queries) {
        String sql = "SELECT query_name, sum(input_rows), min(batch_time + batch_duration_ms * interval '1 millisecond'), "
                + "max(batch_time + batch_duration_ms * interval '1 millisecond') FILTER (WHERE input_rows > 0) "
                + "FROM " + AnalyticsSchema.STREAM_PROGRESS + " GROUP BY query_name";
        Map<String, Long> read = new LinkedHashMap<>();
        Instant first = null;
        Instant last = null;
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String query = rows.getString(1);
                read.put(query, rows.getLong(2));
                // Null until the progress listener has written the batch's figures (the row itself comes with the batch).
                OffsetDateTime firstEnd = rows.getObject(3, OffsetDateTime.class);
                if (firstEnd != null && (first == null || firstEnd.toInstant().isBefore(first))) {
                    first = firstEnd.toInstant();
                }
                OffsetDateTime lastEnd = rows.getObject(4, OffsetDateTime.class);
                if (queries.contains(query) && lastEnd != null && (last == null || lastEnd.toInstant().isAfter(last))) {
                    last = lastEnd.toInstant();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + AnalyticsSchema.STREAM_PROGRESS + ": " + e.getMessage(), e);
        }
        return new Progress(read, first, last);
    }

    /** Each batch's records, watermark and late rows: what decides which late events the job dropped. */
    private void logBatches(String query) {
        String sql = "SELECT batch_id, input_rows, watermark, late_rows_dropped, batch_duration_ms FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = ? "
                + "AND input_rows > 0 ORDER BY batch_id";
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, query);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Bench.log("  batch %d: %,d records, watermark %s, %d late rows dropped, %,d ms", rows.getLong(1), rows.getLong(2),
                            rows.getObject(3, OffsetDateTime.class), rows.getLong(4), rows.getLong(5));
                }
            }
        } catch (SQLException e) {
            Bench.log("  (" + AnalyticsSchema.STREAM_PROGRESS + " unreadable: %s)", e.getMessage());
        }
    }

    /** The job's three tables, key by key. */
    private AnalyticsTotals tables() {
        AnalyticsTotals totals = new AnalyticsTotals();
        try (Connection connection = db.connect(); java.sql.Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT window_start, product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW)) {
                while (rows.next()) {
                    totals.addView(rows.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), rows.getString(2), rows.getLong(3));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT window_start, category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW)) {
                while (rows.next()) {
                    totals.addActivity(rows.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), rows.getString(2), rows.getLong(3));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT window_start, category, total_revenue FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW)) {
                while (rows.next()) {
                    totals.addRevenue(rows.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), rows.getString(2),
                            AnalyticsTotals.cents(rows.getBigDecimal(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the job's tables: " + e.getMessage(), e);
        }
        return totals;
    }

    /** One number from the job's database, as the last run left it. */
    long scalarQuery(String sql) {
        return scalar(sql);
    }

    private long scalar(String sql) {
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    record BatchRun(String topic, long events, double seconds, double eventsPerSecond, long activityTotal, long viewTotal) {
    }

    record BatchRuns(Map<String, BatchRun> byTopic, long peakRssKib, double secondsToSession) {
    }

    /**
     * The reference: the same parser and the same three aggregations as ONE Spark batch job per topic
     * ({@link SparkBatchReference}), each in a fresh JVM like the job's (same heap, same Spark flags, local[*],
     * as cold as each streaming run), writing the same tables through the same upsert sink into a database
     * of its own. Peak RSS and session start-up are those of the first topic's JVM.
     */
    BatchRuns batch(PostgresDatabase batchDb, List<TopicSpec> topics) {
        Map<String, BatchRun> byTopic = new LinkedHashMap<>();
        long rss = -1;
        double session = Double.NaN;
        for (TopicSpec topic : topics) {
            BatchRuns one = batchJvm(batchDb, topic);
            byTopic.putAll(one.byTopic());
            if (rss < 0) {
                rss = one.peakRssKib();
                session = one.secondsToSession();
            }
        }
        return new BatchRuns(byTopic, rss, session);
    }

    private BatchRuns batchJvm(PostgresDatabase batchDb, TopicSpec topic) {
        ProjectLayout layout = stack.layout;
        Path tmp = stack.dir("batch-tmp");
        List<String> command = new ArrayList<>(List.of("@" + layout.jobJvmOptions(), BATCH_REFERENCE_HEAP, "-Djava.io.tmpdir=" + tmp,
                "-Dspark.local.dir=" + tmp, "-cp",
                layout.root().resolve("benchmarks/target/classes") + java.io.File.pathSeparator
                        + ProjectLayout.classpath(layout.jobClasses(), layout.jobClasspathFile()),
                "dev.shopstream.bench.SparkBatchReference" /* never loaded here: it needs Spark */, stack.bootstrap(), batchDb.jdbcUrl(),
                batchDb.user(), batchDb.password(), topic.topic()));
        Map<String, String> env = new HashMap<>(Map.of("SPARK_LOCAL_IP", "127.0.0.1"));
        long start = System.nanoTime();
        ManagedProcess batch = stack.track(ManagedProcess.startJava("batch", command, env, layout.root(), stack.echo(), stack.quiet()));
        try {
            batch.awaitLine(l -> l.startsWith(SparkBatchReference.SESSION), Duration.ofMinutes(3));
            double session = (System.nanoTime() - start) / 1e9;
            String done = batch.awaitLine(l -> l.startsWith(SparkBatchReference.DONE), Duration.ofMinutes(30));
            Map<String, BatchRun> byTopic = new LinkedHashMap<>();
            for (String line : batch.recentOutput().split("\n")) {
                if (line.startsWith(SparkBatchReference.RESULT)) {
                    Map<String, String> fields = Bench.fields(line);
                    long events = Long.parseLong(fields.get("events"));
                    double seconds = Long.parseLong(fields.get("millis")) / 1000.0;
                    byTopic.put(fields.get("topic"), new BatchRun(fields.get("topic"), events, seconds, events / seconds,
                            Long.parseLong(fields.get("activity_total")), Long.parseLong(fields.get("view_total"))));
                }
            }
            return new BatchRuns(byTopic, Long.parseLong(Bench.fields(done).get("peak_rss_kib")), session);
        } finally {
            Stack.stop(batch);
            Bench.deleteRecursively(tmp);
        }
    }
}

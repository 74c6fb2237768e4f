package dev.shopstream.analytics.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.AnalyticsJob;
import dev.shopstream.analytics.RunningJob;
import dev.shopstream.analytics.pipeline.StreamingPipeline;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.SentMessage;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.analytics.support.SparkTestSession;
import dev.shopstream.analytics.support.Watermarks;
import dev.shopstream.contract.EventRules;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.ValidEvent;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * The audit is incremental: a first run reads every batch and checks every closed window; a second one with nothing
 * new reads nothing and checks nothing; after more traffic a third reads only from the first batch that can hold an
 * on-time record of a window closed since (none of the first traffic's batches) and checks only those windows.
 * Each run's audit_run row says what it read and checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIncrementalIT {

    private static final String TOPIC = "user_events";
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;

    @TempDir
    static Path tmp;

    private KafkaBrokerProcess broker;
    private PostgresDatabase db;
    private RunningJob job;
    private EventProducer producer;
    private ShopEventStream stream;
    private WindowAudit audit;
    private JobSettings settings;
    /** The newest batch once the first part of the traffic (10:00-10:05) was read. */
    private long lastBatchOfFirstPart;
    private AuditReport first;
    private final List<AuditReport> reports = new ArrayList<>();

    @BeforeAll
    void runStreamInTwoParts() {
        broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(TOPIC, 3), System.out);
        db = PostgresDatabase.forTests("audit_incremental_it").recreateWithSchema();
        SparkTestSession.configureSparkProperties();
        settings = JobSettings.fromArgs(new String[] {
            "--kafka-bootstrap-servers=" + broker.bootstrapServers(),
            "--postgres-url=" + db.jdbcUrl(),
            "--postgres-user=" + db.user(),
            "--postgres-password=" + db.password(),
            "--checkpoint-dir=" + tmp.resolve("checkpoints"),
            "--spark-master=local[2]",
            "--shuffle-partitions=2",
            "--trigger-interval=500ms",
            "--audit-interval=0s",
        }, Map.of());
        job = AnalyticsJob.start(settings);
        audit = new WindowAudit(settings);
        producer = new EventProducer(broker.bootstrapServers(), TOPIC);
        stream = new ShopEventStream(20261208L, START);

        sendAndAwaitWatermark(stream.onTime(1_500, Duration.ofMinutes(5), 0.03, 0.02), START.plus(Duration.ofMinutes(3)));
        lastBatchOfFirstPart = newestBatch();
        sendAndAwaitWatermark(stream.onTime(1_500, Duration.ofMinutes(4), 0.03, 0.02), START.plus(Duration.ofMinutes(7)));
    }

    @AfterAll
    void stopEverything() {
        if (job != null) {
            job.stop();
            job.spark().stop();
        }
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldReadEveryBatchAndCheckEveryClosedWindowTheFirstTime() throws SQLException {
        first = audit.run();
        reports.add(first);

        assertThat(first.firstBatch()).isZero();
        assertThat(first.lastBatch()).isEqualTo(newestBatch());
        assertThat(first.recordsRead()).isEqualTo(producer.sent().size());
        assertThat(windowStarts(first)).isEqualTo(windowsWithEventsEndingIn(Instant.EPOCH, first.closedUntil()));
        assertThat(first.firstMismatch()).isEmpty();
    }

    @Test
    @Order(2)
    void shouldReadNothingAndCheckNoWindowWhenNothingIsNew() throws SQLException {
        long newest = newestBatch();
        AuditReport second = audit.run();
        reports.add(second);

        assertThat(newestBatch()).as("no batch ran meanwhile").isEqualTo(newest);
        assertThat(second.firstBatch()).isNull();
        assertThat(second.recordsRead()).isZero();
        assertThat(second.windows()).isEmpty();
        assertThat(second.summary()).isEqualTo("audited: 0 windows exact; late records 0; read nothing new");
    }

    @Test
    @Order(3)
    void shouldReadOnlyTheBatchesThatCanHoldTheWindowsClosedSinceAfterMoreTraffic() throws SQLException {
        sendAndAwaitWatermark(stream.onTime(1_000, Duration.ofMinutes(4), 0.03, 0.02), START.plus(Duration.ofMinutes(11)));
        AuditReport third = audit.run();
        reports.add(third);

        // The first window closed since the first run, and the first batch that read an event of it or later: until
        // then no batch had seen an event time that far, so none could hold an on-time record of it.
        Instant firstNewlyClosed = windowStartOf(first.closedUntil());
        long expectedFirst = Math.min(first.lastBatch() + 1, firstBatchReadingAnEventFrom(firstNewlyClosed));
        assertThat(expectedFirst).as("none of the first part's batches").isGreaterThan(lastBatchOfFirstPart);
        assertThat(third.firstBatch()).isEqualTo(expectedFirst);
        assertThat(third.lastBatch()).isEqualTo(newestBatch());
        assertThat(third.recordsRead()).isEqualTo(recordsBetween(expectedFirst, third.lastBatch()));
        assertThat(windowStarts(third)).isEqualTo(windowsWithEventsEndingIn(first.closedUntil(), third.closedUntil())).isNotEmpty();
        assertThat(third.firstMismatch()).isEmpty();
    }

    @Test
    @Order(4)
    void shouldRecordEachRunInAuditRun() throws SQLException {
        List<String> expected = new ArrayList<>();
        for (AuditReport r : reports) {
            expected.add(r.firstBatch() + " " + r.lastBatch() + " " + r.batchesRead() + " " + r.recordsRead() + " " + r.windowsAudited()
                    + " 0 " + r.closedUntil());
        }
        List<String> stored = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT first_batch, last_batch, batches_read, records_read, windows_checked, "
                     + "mismatches, closed_until, duration_ms FROM audit_run ORDER BY run_id")) {
            while (rs.next()) {
                stored.add(rs.getObject(1) + " " + rs.getObject(2) + " " + rs.getLong(3) + " " + rs.getLong(4) + " " + rs.getInt(5)
                        + " " + rs.getInt(6) + " " + rs.getTimestamp(7).toInstant());
                assertThat(rs.getLong(8)).as("duration_ms").isNotNegative();
            }
        }
        assertThat(stored).isEqualTo(expected);
    }

    @Test
    @Order(5)
    void shouldCatchUpInPassesOfBoundedSizeAndCheckTheSameWindows() throws SQLException {
        db.execute("DELETE FROM audit_run; DELETE FROM audit_window; DELETE FROM late_events");
        long newest = newestBatch();

        // At most about 1,000 records per pass: each pass here reads one or two batches of the ~1,500 each.
        AuditReport report = new WindowAudit(settings, 1_000).run();

        assertThat(windowStarts(report)).isEqualTo(windowsWithEventsEndingIn(Instant.EPOCH, report.closedUntil()));
        assertThat(report.windows()).hasSize(3 * windowStarts(report).size());
        assertThat(report.firstMismatch()).isEmpty();
        List<Long> lastBatches = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT last_batch FROM audit_run ORDER BY run_id")) {
            while (rs.next()) {
                lastBatches.add(rs.getLong(1));
            }
        }
        assertThat(lastBatches).as("one row per pass, each ending past the one before").hasSizeGreaterThan(2).isSorted()
                .doesNotHaveDuplicates().endsWith(newest);
    }

    private void sendAndAwaitWatermark(List<dev.shopstream.analytics.support.TestMessage> messages, Instant watermark) {
        producer.send(messages);
        job.processAllAvailable();
        Watermarks.awaitPast(job.query(AnalyticsSchema.QUERY_NAME), watermark);
        // The batch that moved the watermark has its stream_progress row.
        await().atMost(Duration.ofSeconds(30)).until(() -> newestWatermark() != null && newestWatermark().isAfter(watermark));
    }

    private static Set<Instant> windowStarts(AuditReport report) {
        return new TreeSet<>(report.windows().stream().map(WindowResult::windowStart).toList());
    }

    /** The windows holding a valid event, ending after {@code after} and at or before {@code until}. */
    private Set<Instant> windowsWithEventsEndingIn(Instant after, Instant until) {
        ReferenceAnalytics reference = new ReferenceAnalytics(WINDOW, event -> false);
        for (SentMessage sent : producer.sent()) {
            reference.add(sent.message().payload(), TOPIC, sent.partition(), sent.offset());
        }
        Set<Instant> windows = new TreeSet<>();
        reference.categoryActivity.keySet().stream().filter(k -> k.windowEnd().isAfter(after) && !k.windowEnd().isAfter(until))
                .forEach(k -> windows.add(k.windowStart()));
        return windows;
    }

    private static Instant windowStartOf(Instant time) {
        long length = WINDOW.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), length) * length);
    }

    /** The first batch that read a valid event at or after {@code from}, by the Kafka positions in stream_progress. */
    private long firstBatchReadingAnEventFrom(Instant from) throws SQLException {
        Map<Long, Map<Integer, long[]>> ranges = batchRanges();
        long firstBatch = Long.MAX_VALUE;
        for (SentMessage sent : producer.sent()) {
            ValidEvent event = EventRules.judge(sent.message().payload()).event();
            if (event == null || event.eventTime().isBefore(from)) {
                continue;
            }
            for (Map.Entry<Long, Map<Integer, long[]>> batch : ranges.entrySet()) {
                long[] range = batch.getValue().get(sent.partition());
                if (range != null && sent.offset() >= range[0] && sent.offset() < range[1]) {
                    firstBatch = Math.min(firstBatch, batch.getKey());
                }
            }
        }
        return firstBatch;
    }

    private long recordsBetween(long fromBatch, long toBatch) throws SQLException {
        long records = 0;
        for (Map.Entry<Long, Map<Integer, long[]>> batch : batchRanges().entrySet()) {
            if (batch.getKey() >= fromBatch && batch.getKey() <= toBatch) {
                for (long[] range : batch.getValue().values()) {
                    records += range[1] - range[0];
                }
            }
        }
        return records;
    }

    /** batch -> partition -> [start, end) offsets, from stream_progress. */
    private Map<Long, Map<Integer, long[]>> batchRanges() throws SQLException {
        Map<Long, Map<Integer, long[]>> ranges = new TreeMap<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT batch_id, start_offsets, end_offsets FROM stream_progress ORDER BY batch_id")) {
            while (rs.next()) {
                Map<Integer, Long> start = rs.getString(2) == null ? Map.of() : AnalyticsTables.offsets(rs.getString(2));
                Map<Integer, Long> end = AnalyticsTables.offsets(rs.getString(3));
                Map<Integer, long[]> batch = new TreeMap<>();
                end.forEach((partition, to) -> batch.put(partition, new long[] {start.getOrDefault(partition, 0L), to}));
                ranges.put(rs.getLong(1), batch);
            }
        }
        return ranges;
    }

    private long newestBatch() {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT max(batch_id) FROM stream_progress")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant newestWatermark() {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT watermark FROM stream_progress ORDER BY batch_id DESC LIMIT 1")) {
            return rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.shopstream.analytics.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
import dev.shopstream.analytics.support.TestMessage;
import dev.shopstream.analytics.support.Watermarks;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * The audit against the real job, broker and database: a seeded stream with events an hour late and late
 * re-deliveries; the audit must find exactly the late events, per window, and no unexplained difference; a row
 * changed behind the job's back (in a window without a verdict) must be flagged with its difference; folding the late events in makes their
 * windows equal the batch recompute, and folding again changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WindowAuditIT {

    private static final String TOPIC = "user_events";
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final List<String> TABLES = List.of("product_view_window", "category_activity_window", "category_revenue_window");

    @TempDir
    static Path tmp;

    private KafkaBrokerProcess broker;
    private PostgresDatabase db;
    private RunningJob job;
    private EventProducer producer;
    private WindowAudit audit;
    private Instant closedUntil;
    /** Every valid event once: what the batch recompute must find. */
    private ReferenceAnalytics all;
    /** The late events that no on-time copy counted: the late part of their windows. */
    private ReferenceAnalytics lateOnly;
    private final Set<String> latePositions = new HashSet<>();
    private final Set<String> lateRedeliveryPositions = new HashSet<>();

    @BeforeAll
    void runStreamWithLateEvents() {
        broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(TOPIC, 3), System.out);
        db = PostgresDatabase.forTests("window_audit_it").recreateWithSchema();
        SparkTestSession.configureSparkProperties();
        JobSettings settings = JobSettings.fromArgs(new String[] {
            "--kafka-bootstrap-servers=" + broker.bootstrapServers(),
            "--postgres-url=" + db.jdbcUrl(),
            "--postgres-user=" + db.user(),
            "--postgres-password=" + db.password(),
            "--checkpoint-dir=" + tmp.resolve("checkpoints"),
            "--spark-master=local[2]",
            "--shuffle-partitions=2",
            "--trigger-interval=500ms",
            "--max-offsets-per-trigger=2000",
            "--audit-interval=0s", // the tests audit when they are ready
        }, Map.of());
        job = AnalyticsJob.start(settings);
        audit = new WindowAudit(settings);
        producer = new EventProducer(broker.bootstrapServers(), TOPIC);
        ShopEventStream stream = new ShopEventStream(20261201L, START);

        producer.send(stream.onTime(5_000, Duration.ofMinutes(9), 0.03, 0.02));
        job.processAllAvailable();
        Watermarks.awaitPast(job.query(AnalyticsSchema.QUERY_NAME), START.plus(Duration.ofMinutes(6)));
        List<TestMessage> late = new ArrayList<>(stream.veryLate(120));
        late.addAll(stream.lateRedeliveries(60, START.plus(Duration.ofMinutes(4))));
        producer.send(stream.interleave(stream.onTime(2_500, Duration.ofMinutes(4), 0.03, 0.02), late));
        job.processAllAvailable();

        Set<String> onTimeIds = new HashSet<>();
        producer.sent().stream().filter(s -> s.message().kind() == TestMessage.Kind.ON_TIME)
                .forEach(s -> onTimeIds.add(s.message().event().eventId()));
        all = new ReferenceAnalytics(WINDOW, event -> false);
        lateOnly = new ReferenceAnalytics(WINDOW, event -> false);
        for (SentMessage sent : producer.sent()) {
            TestMessage message = sent.message();
            all.add(message.payload(), TOPIC, sent.partition(), sent.offset());
            if (message.kind() == TestMessage.Kind.LATE) {
                String position = TOPIC + "/" + sent.partition() + "/" + sent.offset();
                latePositions.add(position);
                if (onTimeIds.contains(message.event().eventId())) {
                    lateRedeliveryPositions.add(position);
                } else {
                    lateOnly.add(message.payload(), TOPIC, sent.partition(), sent.offset());
                }
            }
        }
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
    void shouldReportExactlyTheLateEventsOfEachWindowAndNoUnexplainedDifference() throws SQLException {
        AuditReport report = audit.run();
        closedUntil = report.closedUntil();
        assertThat(closedUntil).isEqualTo(newestWatermark());

        Map<String, Map<Instant, BigDecimal>> expectedBatch = perWindow(all);
        Map<String, Map<Instant, BigDecimal>> expectedLate = perWindow(lateOnly);
        Set<Instant> closedWindows = new java.util.TreeSet<>();
        expectedBatch.values().forEach(m -> m.keySet().stream().filter(this::closed).forEach(closedWindows::add));
        assertThat(closedWindows).as("closed windows: the hour-late ones and the first of the stream").hasSizeGreaterThan(8);
        assertThat(report.windowsAudited()).isEqualTo(closedWindows.size());
        assertThat(report.firstMismatch()).isEmpty();
        assertThat(report.summary()).startsWith("audited: " + closedWindows.size() + " windows exact");
        for (WindowResult result : report.windows()) {
            assertThat(result.unexplained()).as("%s", result).isEqualByComparingTo("0");
            assertThat(result.batch()).as("%s batch", result)
                    .isEqualByComparingTo(expectedBatch.get(result.table()).getOrDefault(result.windowStart(), BigDecimal.ZERO));
            assertThat(result.late()).as("%s late", result)
                    .isEqualByComparingTo(expectedLate.get(result.table()).getOrDefault(result.windowStart(), BigDecimal.ZERO));
        }
        // Every hour-late event is in a window of 9:00-9:10, all of them closed and explained.
        BigDecimal lateEvents = report.windows().stream().filter(w -> w.table().equals("category_activity_window"))
                .map(WindowResult::late).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(lateEvents).isEqualByComparingTo(BigDecimal.valueOf(lateOnly.records));
        assertThat(storedResults()).isEqualTo(report.windows().size());
    }

    @Test
    @Order(2)
    void shouldListEveryLateRecordWithItsPositionAndTheWatermarkItMissed() throws SQLException {
        Set<String> positions = new HashSet<>();
        Set<String> alreadyCounted = new HashSet<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT source_topic, source_partition, source_offset, already_counted, "
                     + "event_time <= missed_watermark, folded_at IS NULL FROM late_events")) {
            while (rs.next()) {
                String position = rs.getString(1) + "/" + rs.getInt(2) + "/" + rs.getLong(3);
                positions.add(position);
                if (rs.getBoolean(4)) {
                    alreadyCounted.add(position);
                }
                assertThat(rs.getBoolean(5)).as("%s behind the watermark it missed", position).isTrue();
                assertThat(rs.getBoolean(6)).as("%s not folded yet", position).isTrue();
            }
        }
        assertThat(positions).isEqualTo(latePositions).hasSize(180);
        assertThat(alreadyCounted).isEqualTo(lateRedeliveryPositions);
    }

    @Test
    @Order(3)
    void shouldFlagAWindowChangedBehindTheJobsBackWithItsDifference() throws SQLException {
        Instant window = START.plus(Duration.ofMinutes(4));
        String category = "books";
        String tamper = "UPDATE category_activity_window SET event_count = event_count + %d WHERE window_start = '" + window
                + "' AND category = '" + category + "'";
        db.execute(String.format(tamper, 7));
        // A window found exact is not checked again: forgetting its verdict makes the next audit check it.
        db.execute("DELETE FROM audit_window WHERE window_start = '" + window + "'");
        try {
            AuditReport report = audit.run();

            List<WindowResult> mismatches = report.windows().stream().filter(w -> !w.exact()).toList();
            assertThat(mismatches).hasSize(1);
            WindowResult mismatch = mismatches.get(0);
            assertThat(mismatch.windowStart()).isEqualTo(window);
            assertThat(mismatch.table()).isEqualTo("category_activity_window");
            assertThat(mismatch.unexplained()).isEqualByComparingTo("7");
            assertThat(mismatch.mismatchedKeys()).isEqualTo(1);
            assertThat(mismatch.firstMismatch()).isEqualTo("books 7");
            assertThat(report.summary()).startsWith("audit: MISMATCH in category_activity_window window " + window + ": unexplained 7");
        } finally {
            db.execute(String.format(tamper, -7));
        }
    }

    @Test
    @Order(4)
    void shouldFoldLateEventsIntoTheirWindowsOnceAndThenMatchTheBatchValues() throws SQLException {
        AnalyticsTables tables = new AnalyticsTables(db);
        AuditReport folded = audit.run(true);

        Map<String, Map<Instant, BigDecimal>> expectedBatch = perWindow(all);
        assertThat(folded.windowsFolded()).isEqualTo(perWindow(lateOnly).get("category_activity_window").size());
        assertThat(folded.firstMismatch()).isEmpty();
        for (WindowResult result : folded.windows()) {
            assertThat(result.late()).as("%s late after folding", result).isEqualByComparingTo("0");
            assertThat(result.stream()).as("%s", result)
                    .isEqualByComparingTo(expectedBatch.get(result.table()).getOrDefault(result.windowStart(), BigDecimal.ZERO));
        }
        // The hour-late windows now hold exactly the reference over every event, row for row.
        Instant hourAgo = START.minus(Duration.ofMinutes(50));
        assertThat(tables.categoryActivity().entrySet().stream().filter(e -> e.getKey().windowStart().isBefore(hourAgo))
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().windowStart() + " " + e.getKey().key(), Map.Entry::getValue)))
                .isEqualTo(all.categoryActivity.entrySet().stream().filter(e -> e.getKey().windowStart().isBefore(hourAgo))
                        .collect(java.util.stream.Collectors.toMap(e -> e.getKey().windowStart() + " " + e.getKey().key(), Map.Entry::getValue)));

        String before = tables.dumpAll();
        AuditReport again = audit.run(true);
        assertThat(again.windowsFolded()).isZero();
        assertThat(again.firstMismatch()).isEmpty();
        assertThat(tables.dumpAll()).isEqualTo(before);
    }

    private boolean closed(Instant windowStart) {
        return !windowStart.plus(WINDOW).isAfter(closedUntil);
    }

    /** table -> window start -> the table's value summed over the window's keys. */
    private static Map<String, Map<Instant, BigDecimal>> perWindow(ReferenceAnalytics reference) {
        Map<String, Map<Instant, BigDecimal>> sums = new TreeMap<>();
        for (String table : TABLES) {
            sums.put(table, new TreeMap<>());
        }
        reference.productViews.forEach((k, v) -> sums.get(TABLES.get(0)).merge(k.windowStart(), BigDecimal.valueOf(v), BigDecimal::add));
        reference.categoryActivity.forEach((k, v) -> sums.get(TABLES.get(1)).merge(k.windowStart(), BigDecimal.valueOf(v), BigDecimal::add));
        reference.categoryRevenue.forEach((k, v) -> sums.get(TABLES.get(2)).merge(k.windowStart(), v, BigDecimal::add));
        return sums;
    }

    private int storedResults() throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM audit_window WHERE unexplained = 0 AND mismatched_keys = 0")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Instant newestWatermark() {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT watermark FROM stream_progress WHERE query_name = '"
                     + AnalyticsSchema.QUERY_NAME + "' ORDER BY batch_id DESC LIMIT 1")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

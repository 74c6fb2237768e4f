package dev.shopstream.analytics.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
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
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.pipeline.InjectedFault;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.SentMessage;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.EventRules;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.ReferenceAnalytics.WindowKey;
import dev.shopstream.contract.ValidEvent;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * The audit catches a fault in the stream's aggregation, which it could not if it shared the stream's code: the
 * real job (its own JVM, a real broker and database) runs with a test-only fault that drops the product_view events
 * of one product, and the audit must name every window, table and key it changed, with the exact difference; the
 * same job without the fault, over the same records, leaves the same windows exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditFaultIT {

    private static final String TOPIC = EventContract.TOPIC;
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final Duration DELAY = AnalyticsSchema.DEFAULT_WATERMARK_DELAY;

    @TempDir
    static Path tmp;

    private KafkaBrokerProcess broker;
    private EventProducer producer;
    /** Every valid event: what each table must hold (one job batch reads them all, so none is late). */
    private ReferenceAnalytics reference;
    /** The product whose views the fault drops: the most viewed one in the first window. */
    private String product;
    /** window start -> category -> views of that product. */
    private final Map<Instant, Map<String, Long>> droppedViews = new TreeMap<>();
    private Instant newestEventTime = Instant.EPOCH;
    private Instant newestEventTimeWithoutDropped = Instant.EPOCH;
    private List<Instant> faultyWindows;
    private PostgresDatabase faultyDb;
    private PostgresDatabase soundDb;
    private String faultyJobOutput;

    @BeforeAll
    void sendSeededTraffic() {
        broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(TOPIC, 3), System.out);
        producer = new EventProducer(broker.bootstrapServers(), TOPIC);
        producer.send(new ShopEventStream(20261207L, START).onTime(3_000, Duration.ofMinutes(9), 0.03, 0.02));
        reference = new ReferenceAnalytics(WINDOW, event -> false);
        for (SentMessage sent : producer.sent()) {
            reference.add(sent.message().payload(), TOPIC, sent.partition(), sent.offset());
        }
        Instant firstWindow = reference.productViews.keySet().iterator().next().windowStart();
        product = reference.productViews.entrySet().stream().filter(e -> e.getKey().windowStart().equals(firstWindow))
                .max(Map.Entry.<WindowKey, Long>comparingByValue().thenComparing(e -> e.getKey().key(), java.util.Comparator.reverseOrder()))
                .orElseThrow().getKey().key();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (SentMessage sent : producer.sent()) {
            ValidEvent event = EventRules.judge(sent.message().payload()).event();
            if (event == null) {
                continue;
            }
            newestEventTime = max(newestEventTime, event.eventTime());
            boolean dropped = event.eventType().equals(EventContract.PRODUCT_VIEW) && event.productId().equals(product);
            if (!dropped) {
                newestEventTimeWithoutDropped = max(newestEventTimeWithoutDropped, event.eventTime());
            } else if (seen.add(sent.partition() + "/" + event.eventId())) {
                droppedViews.computeIfAbsent(reference.windowStartOf(event.eventTime()), w -> new TreeMap<>())
                        .merge(event.category(), 1L, Long::sum);
            }
        }
        // The two jobs (with and without the fault, each on a database and checkpoint of its own) run side by side.
        faultyDb = PostgresDatabase.forTests("audit_fault_it_faulty").recreateWithSchema();
        soundDb = PostgresDatabase.forTests("audit_fault_it_sound").recreateWithSchema();
        java.util.concurrent.CompletableFuture<String> faulty = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                runJobUntilItsWindowsClose(faultyDb, "faulty", List.of("-D" + InjectedFault.PROPERTY + "=drop-views-of:" + product),
                        newestEventTimeWithoutDropped.minus(DELAY)));
        runJobUntilItsWindowsClose(soundDb, "sound", List.of(), newestEventTime.minus(DELAY));
        faultyJobOutput = faulty.join();
    }

    @AfterAll
    void stopEverything() {
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldReportMismatchWhenViewsOfAProductAreDropped() throws Exception {
        PostgresDatabase db = faultyDb;
        assertThat(faultyJobOutput).contains("TEST FAULT INJECTED");

        AuditReport report = new WindowAudit(settings(db, "faulty")).run();

        Map<String, String> expected = new TreeMap<>();
        for (Map.Entry<Instant, Map<String, Long>> window : droppedViews.entrySet()) {
            if (!window.getKey().plus(WINDOW).isAfter(report.closedUntil())) {
                long views = window.getValue().values().stream().mapToLong(Long::longValue).sum();
                String firstCategory = window.getValue().keySet().iterator().next();
                expected.put(window.getKey() + " " + AnalyticsSchema.PRODUCT_VIEW_WINDOW,
                        "-" + views + " in 1 keys, first " + product + " -" + views);
                expected.put(window.getKey() + " " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, "-" + views + " in "
                        + window.getValue().size() + " keys, first " + firstCategory + " -" + window.getValue().get(firstCategory));
            }
        }
        Map<String, String> mismatches = new TreeMap<>();
        for (WindowResult result : report.windows()) {
            if (!result.exact()) {
                mismatches.put(result.windowStart() + " " + result.table(), result.unexplained().stripTrailingZeros().toPlainString()
                        + " in " + result.mismatchedKeys() + " keys, first " + result.firstMismatch());
            }
        }
        assertThat(expected).as("the closed windows holding views of %s", product).hasSizeGreaterThanOrEqualTo(6);
        assertThat(mismatches).isEqualTo(expected);
        Instant first = droppedViews.keySet().iterator().next();
        long firstViews = droppedViews.get(first).values().stream().mapToLong(Long::longValue).sum();
        assertThat(report.summary()).startsWith("audit: MISMATCH in " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + " window " + first
                + ": unexplained -" + firstViews + " (1 keys, first " + product + " -" + firstViews + ")");
        assertThat(storedMismatches(db)).isEqualTo(expected.size());
        faultyWindows = report.windows().stream().map(WindowResult::windowStart).distinct().toList();
    }

    @Test
    @Order(2)
    void shouldFindTheSameWindowsExactWithoutTheFault() throws Exception {
        PostgresDatabase db = soundDb;

        AuditReport report = new WindowAudit(settings(db, "sound")).run();

        assertThat(report.firstMismatch()).isEmpty();
        assertThat(report.windows()).allSatisfy(w -> assertThat(w.unexplained()).as("%s", w).isEqualByComparingTo(BigDecimal.ZERO));
        List<Instant> windows = report.windows().stream().map(WindowResult::windowStart).distinct().toList();
        assertThat(windows).containsAll(faultyWindows);
        assertThat(report.summary()).startsWith("audited: " + windows.size() + " windows exact");
        // The tables equal the plain-Java reference, key by key, in every window the audit found exact.
        AnalyticsTables tables = new AnalyticsTables(db);
        assertThat(tables.productViews().keySet().stream().filter(k -> windows.contains(k.windowStart())).count())
                .isEqualTo(reference.productViews.keySet().stream().filter(k -> windows.contains(k.windowStart())).count());
    }

    /**
     * Starts the job, waits until it has read every record and its watermark reached {@code watermark}, stops it;
     * returns its output up to its start.
     */
    private String runJobUntilItsWindowsClose(PostgresDatabase db, String name, List<String> faultArgs, Instant watermark) {
        try {
            return runJob(db, name, faultArgs, watermark);
        } catch (Exception e) {
            throw new IllegalStateException("The " + name + " job: " + e.getMessage(), e);
        }
    }

    private String runJob(PostgresDatabase db, String name, List<String> faultArgs, Instant watermark) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx768m", "-Dspark.ui.enabled=false"));
        jvm.addAll(faultArgs);
        ManagedProcess job = AnalyticsJobProcess.startAndAwaitReady(ProjectLayout.locate(), jobSettings(db, name), jvm,
                Files.createDirectories(tmp.resolve(name).resolve("job-tmp")), System.out, false);
        String startOutput = job.recentOutput();
        try {
            AnalyticsTables tables = new AnalyticsTables(db);
            Map<Integer, Long> topicEnd = producer.endOffsets();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                    tables.progress().containsKey(AnalyticsSchema.QUERY_NAME)
                            && tables.progress().get(AnalyticsSchema.QUERY_NAME).lastEndOffsets().equals(topicEnd)
                            && !newestWatermark(db).isBefore(watermark));
            return startOutput;
        } finally {
            job.stop(Duration.ofSeconds(30));
        }
    }

    private Map<String, String> jobSettings(PostgresDatabase db, String name) {
        Map<String, String> settings = AnalyticsJobProcess.settings(broker.bootstrapServers(), db, tmp.resolve(name).resolve("checkpoints"));
        settings.putAll(Map.of("KAFKA_TOPIC", TOPIC, "SPARK_MASTER", "local[1]", "SHUFFLE_PARTITIONS", "2",
                "TRIGGER_INTERVAL", "500ms", "AUDIT_INTERVAL", "0s"));
        return settings;
    }

    private JobSettings settings(PostgresDatabase db, String name) {
        return JobSettings.fromArgs(new String[0], jobSettings(db, name));
    }

    private static Instant newestWatermark(PostgresDatabase db) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT watermark FROM stream_progress WHERE watermark IS NOT NULL "
                     + "ORDER BY batch_id DESC LIMIT 1")) {
            return rs.next() ? rs.getTimestamp(1).toInstant() : Instant.EPOCH;
        }
    }

    private static int storedMismatches(PostgresDatabase db) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM audit_window WHERE mismatched_keys > 0")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

package dev.shopstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.BulkProducer;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.SentMessage;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.analytics.support.SqlRows;
import dev.shopstream.analytics.support.WindowKey;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.RejectReason;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * Hostile but well-formed traffic, each kind at a size that stopped the job before: the job, as its own JVM with a
 * small heap, keeps running; the valid events sent after the burst land exactly as the plain-Java oracle computes
 * them; and what was refused is where it should be, capped.
 */
class PoisonTrafficIT {

    private static final String QUERY = AnalyticsSchema.QUERY_NAME;
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final String JOB_HEAP = "-Xmx640m";
    private static final Map<String, Integer> TOPICS = Map.of("revenue_flood", 2, "giant_rejects", 4, "only_rejects", 4, "refused_values", 3);

    @TempDir
    static Path brokerDir;
    private static KafkaBrokerProcess broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBrokerProcess.startOnFreePorts(brokerDir.resolve("kafka"), TOPICS, System.out);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldSumAWindowsRevenuePastTheOldColumnExactlyAndGoOn() throws Exception {
        String topic = "revenue_flood";
        long purchases = 1_000_001; // numeric(14, 2) held 999,999,999,999.99: one more purchase at the highest price is past it
        PostgresDatabase db = PostgresDatabase.forTests("analytics_poison_revenue").recreateWithSchema();
        try (BulkProducer bulk = new BulkProducer(broker.bootstrapServers(), topic);
             EventProducer normal = new EventProducer(broker.bootstrapServers(), topic);
             ManagedProcess job = startJob(topic, db, Map.of(), System.out)) {
            bulk.send(purchases, i -> new BulkProducer.Record("user_bulk", purchase("bulk-" + i, EventContract.MAX_PRICE)));
            ShopEventStream stream = new ShopEventStream(281L, START);
            normal.send(stream.onTime(3_000, Duration.ofMinutes(5), 0.03, 0.02));

            awaitEnd(db, merged(bulk.endOffsets(), normal.endOffsets()), Duration.ofMinutes(5));

            assertThat(job.isAlive()).as("the job is still running").isTrue();
            ExpectedAnalytics expected = ExpectedAnalytics.of(normal.sent(), topic, WINDOW);
            WindowKey bulkKey = new WindowKey(START, START.plus(WINDOW), "bulk");
            Map<WindowKey, BigDecimal> revenue = new TreeMap<>(expected.categoryRevenue);
            revenue.put(bulkKey, EventContract.MAX_PRICE.multiply(BigDecimal.valueOf(purchases)));
            Map<WindowKey, Long> activity = new TreeMap<>(expected.categoryActivity);
            activity.put(bulkKey, purchases);
            AnalyticsTables tables = new AnalyticsTables(db);
            assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(revenue);
            assertThat(tables.categoryRevenue().get(bulkKey)).isEqualByComparingTo("1000000989999.99");
            assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(activity);
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
            assertThat(SqlRows.of(db, "SELECT count(*) FROM " + AnalyticsSchema.QUARANTINED_ROWS)).containsExactly("0");
        }
    }

    @Test
    void shouldStoreCappedRejectsOfRecordsNearTheBrokersMaximumTotallingMoreThanTheHeapAndGoOn() throws Exception {
        String topic = "giant_rejects";
        int giants = 700; // 700 MB of records, against a heap of 640 MB
        int textLength = 999_000; // the broker's largest message is a little over 1 MiB
        PostgresDatabase db = PostgresDatabase.forTests("analytics_poison_giants").recreateWithSchema();
        try (BulkProducer bulk = new BulkProducer(broker.bootstrapServers(), topic);
             EventProducer normal = new EventProducer(broker.bootstrapServers(), topic);
             ManagedProcess job = startJob(topic, db, Map.of(), System.out)) {
            bulk.send(giants, i -> new BulkProducer.Record("user_" + i, giant(i, textLength)));
            ShopEventStream stream = new ShopEventStream(282L, START);
            normal.send(stream.onTime(2_000, Duration.ofMinutes(4), 0.03, 0.02));

            awaitEnd(db, merged(bulk.endOffsets(), normal.endOffsets()), Duration.ofMinutes(5));

            assertThat(job.isAlive()).as("the job is still running").isTrue();
            ExpectedAnalytics expected = ExpectedAnalytics.of(normal.sent(), topic, WINDOW);
            AnalyticsTables tables = new AnalyticsTables(db);
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
            assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
            assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
            List<String> giantRows = SqlRows.of(db, "SELECT octet_length(raw_payload), payload_bytes, payload_sha256, reason "
                    + "FROM " + AnalyticsSchema.REJECTED_EVENTS + " WHERE payload_bytes > 4096 ORDER BY raw_payload");
            assertThat(giantRows).hasSize(giants);
            for (int i = 0; i < giants; i++) {
                byte[] value = giant(i, textLength);
                assertThat(giantRows).contains("4096|" + value.length + "|" + sha256(value) + "|" + RejectReason.tooLongField(EventContract.PRODUCT_ID));
            }
            assertThat(SqlRows.of(db, "SELECT sum(rejected_rows) FROM " + AnalyticsSchema.STREAM_PROGRESS))
                    .containsExactly(String.valueOf(giants + expected.rejectedCount()));
        }
    }

    @Test
    void shouldStoreEveryRecordOfABatchOfOnlyRejectsAndGoOn() throws Exception {
        String topic = "only_rejects";
        int rejects = 150_000; // 600 MB of records, against a heap of 640 MB; each kept capped at 256 bytes
        PostgresDatabase db = PostgresDatabase.forTests("analytics_poison_rejects").recreateWithSchema();
        try (BulkProducer bulk = new BulkProducer(broker.bootstrapServers(), topic);
             EventProducer normal = new EventProducer(broker.bootstrapServers(), topic);
             ManagedProcess job = startJob(topic, db, Map.of("REJECTED_PAYLOAD_MAX_BYTES", "256"),
                     System.out)) {
            bulk.send(rejects, i -> new BulkProducer.Record("user_" + (i % 1000), giant(i, 4_000)));
            awaitEnd(db, bulk.endOffsets(), Duration.ofMinutes(5));
            ShopEventStream stream = new ShopEventStream(283L, START);
            normal.send(stream.onTime(2_000, Duration.ofMinutes(4), 0.03, 0.02));

            awaitEnd(db, merged(bulk.endOffsets(), normal.endOffsets()), Duration.ofMinutes(3));

            assertThat(job.isAlive()).as("the job is still running").isTrue();
            ExpectedAnalytics expected = ExpectedAnalytics.of(normal.sent(), topic, WINDOW);
            AnalyticsTables tables = new AnalyticsTables(db);
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
            assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
            assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
            assertThat(SqlRows.of(db, "SELECT count(*), max(octet_length(raw_payload)) FROM " + AnalyticsSchema.REJECTED_EVENTS + " WHERE payload_bytes > 4000"))
                    .containsExactly(rejects + "|256");
            assertThat(SqlRows.of(db, "SELECT sum(rejected_rows) FROM " + AnalyticsSchema.STREAM_PROGRESS))
                    .containsExactly(String.valueOf(rejects + expected.rejectedCount()));
        }
    }

    @Test
    void shouldQuarantineRowsTheDatabaseRefusesAndStayExactForTheRestAcrossKillAndRestart() throws Exception {
        String topic = "refused_values";
        PostgresDatabase db = PostgresDatabase.forTests("analytics_poison_refused").recreateWithSchema();
        // An operator's rule the stream breaks: rows of the poisoned products cannot be stored.
        db.execute("ALTER TABLE " + AnalyticsSchema.WINDOW_TOTALS + " ADD CONSTRAINT no_poison CHECK (product_id NOT LIKE 'poison%')");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ShopEventStream stream = new ShopEventStream(284L, START);
        try (EventProducer normal = new EventProducer(broker.bootstrapServers(), topic)) {
            ManagedProcess first = startJob(topic, db, Map.of("MAX_OFFSETS_PER_TRIGGER", "1500"), new PrintStream(log, true));
            try {
                normal.send(stream.onTime(6_000, Duration.ofMinutes(4), 0.03, 0.02));
                normal.send(poisoned(stream, 40));
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Long.parseLong(SqlRows.of(db, "SELECT count(*) FROM " + AnalyticsSchema.QUARANTINED_ROWS).get(0)) > 0);
                first.killHard();
            } finally {
                first.killHard();
            }
            normal.send(stream.onTime(3_000, Duration.ofMinutes(2), 0.03, 0.02));
            try (ManagedProcess second = startJob(topic, db, Map.of("MAX_OFFSETS_PER_TRIGGER", "1500"), new PrintStream(log, true))) {
                awaitEnd(db, normal.endOffsets(), Duration.ofMinutes(3));
                assertThat(second.isAlive()).as("the job is still running").isTrue();
            }

            List<SentMessage> clean = normal.sent().stream()
                    .filter(m -> m.message().event() == null || !m.message().event().productId().startsWith("poison")).toList();
            ExpectedAnalytics expected = ExpectedAnalytics.of(clean, topic, WINDOW);
            AnalyticsTables tables = new AnalyticsTables(db);
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
            assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
            assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
            assertThat(SqlRows.of(db, "SELECT DISTINCT table_name, error_state, split_part(row_key, '|', 2) LIKE 'poison%' FROM " + AnalyticsSchema.QUARANTINED_ROWS))
                    .containsExactly(AnalyticsSchema.WINDOW_TOTALS + "|23514|t");
            assertThat(SqlRows.of(db, "SELECT (SELECT sum(quarantined_rows) FROM " + AnalyticsSchema.STREAM_PROGRESS + ") >= (SELECT count(DISTINCT row_key) FROM " + AnalyticsSchema.QUARANTINED_ROWS + ")"))
                    .containsExactly("t");
            assertThat(log.toString(StandardCharsets.UTF_8).lines()).as("the job's log says the cause, not the data")
                    .anyMatch(line -> line.contains("rows quarantined in quarantined_rows") && line.contains("23514"))
                    .allMatch(line -> line.length() < 2_000);
        }
    }

    private static List<dev.shopstream.analytics.support.TestMessage> poisoned(ShopEventStream stream, int count) {
        return stream.onTime(count, Duration.ofSeconds(10), 0, 0).stream()
                .map(m -> m.event() == null ? m : dev.shopstream.analytics.support.TestMessage.onTime(new dev.shopstream.analytics.support.ShopEvent(
                        m.event().eventId() + "-p", m.event().eventType(), m.event().userId(), "poison_" + m.event().productId(),
                        m.event().category(), m.event().price(), m.event().eventTime())))
                .toList();
    }

    private static byte[] purchase(String eventId, BigDecimal price) {
        return ("{\"event_id\":\"" + eventId + "\",\"event_type\":\"purchase\",\"user_id\":\"user_bulk\",\"product_id\":\"prod_bulk\","
                + "\"category\":\"bulk\",\"price\":" + price.toPlainString() + ",\"event_time\":\"2026-11-25T12:00:30.000Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A valid-looking event whose product id is far longer than the contract allows. */
    private static byte[] giant(long i, int textLength) {
        return ("{\"event_id\":\"giant-" + i + "\",\"event_type\":\"product_view\",\"user_id\":\"user_" + i + "\",\"product_id\":\""
                + "p".repeat(textLength) + "\",\"category\":\"toys\",\"price\":1.00,\"event_time\":\"2026-11-25T12:00:10.000Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static ManagedProcess startJob(String topic, PostgresDatabase db, Map<String, String> extra, PrintStream echo) throws Exception {
        Path checkpoints = brokerDir.resolve("checkpoints-" + topic);
        Map<String, String> settings = AnalyticsJobProcess.settings(broker.bootstrapServers(), db, checkpoints);
        settings.putAll(Map.of("KAFKA_TOPIC", topic, "SPARK_MASTER", "local[2]", "SHUFFLE_PARTITIONS", "2", "TRIGGER_INTERVAL", "500ms",
                "AUDIT_INTERVAL", "0 seconds"));
        settings.putAll(extra);
        Path workDir = Files.createDirectories(brokerDir.resolve("job-tmp-" + topic));
        return AnalyticsJobProcess.startAndAwaitReady(ProjectLayout.locate(), settings, List.of(JOB_HEAP, "-Dspark.ui.enabled=false"),
                workDir, echo, false);
    }

    private static void awaitEnd(PostgresDatabase db, Map<Integer, Long> end, Duration timeout) {
        AnalyticsTables tables = new AnalyticsTables(db);
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            AnalyticsTables.ProgressTotals progress = tables.progress().get(QUERY);
            return progress != null && progress.lastEndOffsets().equals(end);
        });
    }

    private static Map<Integer, Long> merged(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> merged = new TreeMap<>(a);
        b.forEach((partition, offset) -> merged.merge(partition, offset, Math::max));
        return merged;
    }

    private static String sha256(byte[] value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    }
}

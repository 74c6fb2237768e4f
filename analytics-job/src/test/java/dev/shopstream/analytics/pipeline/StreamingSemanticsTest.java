package dev.shopstream.analytics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.audit.BatchRange;
import dev.shopstream.analytics.audit.BatchRanges;
import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.AnalyticsTables.ProgressTotals;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.MemoryStreamJob;
import dev.shopstream.analytics.support.ShopEvent;
import dev.shopstream.analytics.support.TestMessage;
import dev.shopstream.analytics.support.WindowKey;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * The streaming semantics of the job's one query, on Spark's MemoryStream and the real PostgreSQL: each
 * {@code send} is one micro-batch, and {@code processAllAvailable} runs it (and the no-data batch that moves
 * the watermark). Windows of 2 minutes, watermark 1 minute behind the newest event time.
 */
class StreamingSemanticsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final String NO_DATA_BATCHES = "spark.sql.streaming.noDataMicroBatches.enabled";

    @TempDir
    Path tmp;

    private PostgresDatabase db;
    private AnalyticsTables tables;
    private MemoryStreamJob job;
    private int ids;

    @BeforeEach
    void startQuery() {
        db = PostgresDatabase.forTests("analytics_semantics").recreateWithSchema();
        tables = new AnalyticsTables(db);
        job = new MemoryStreamJob(db, tmp.resolve("checkpoints"), "0 seconds");
    }

    @AfterEach
    void stopQuery() {
        job.close();
    }

    @Test
    void shouldDropEventBeyondTheWatermarkFromEveryTableAndCountItOnce() {
        job.send(List.of(view("p1", at(0, 10)), purchase("p2", "5.00", at(3, 0)), cart("p1", at(5, 30))));
        job.processAllAvailable(); // watermark now 10:04:30
        String before = tables.dumpAll();

        // A view and a purchase in the closed window 10:00-10:02: each would touch every table.
        job.send(List.of(TestMessage.late(viewEvent("p1", at(1, 0))), TestMessage.late(purchaseEvent("p3", "7.00", at(1, 5)))));
        job.processAllAvailable();

        assertThat(tables.dumpAll()).as("no table changed").isEqualTo(before);
        assertTablesEqualTheReference();
        awaitProgress(p -> p.lateRows() == 2);
    }

    @Test
    void shouldDropAnEventExactlyAtTheWatermarkAsTheAuditDoes() {
        job.send(List.of(view("p1", at(5, 30))));
        job.processAllAvailable(); // watermark exactly 10:04:30.000
        Instant watermark = at(4, 30);
        job.send(List.of(TestMessage.late(viewEvent("p2", watermark)), view("p3", watermark.plusMillis(1))));
        job.processAllAvailable();

        // Spark's rule is eventTime <= watermark: the audit's BatchRange.isLate must say the same.
        assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(Map.of(key(4, "p1"), 1L, key(4, "p3"), 1L));
        assertThat(dev.shopstream.analytics.audit.BatchRange.isLate(watermark, watermark)).isTrue();
        assertThat(dev.shopstream.analytics.audit.BatchRange.isLate(watermark.plusMillis(1), watermark)).isFalse();
        awaitProgress(p -> p.lateRows() == 1 && p.inputRows() == 3);
    }

    @Test
    void shouldJudgeLatenessByThePreviousBatchsWatermarkAsTheAuditDoes() throws Exception {
        // Two data batches back to back, with no no-data batch between them to move the watermark.
        job.stop();
        job.spark().conf().set(NO_DATA_BATCHES, "false");
        try {
            job.start();
            job.send(List.of(view("p1", at(5, 30))));
            job.processAllAvailable(); // batch 0; the next batch runs with watermark 10:04:30
            job.send(List.of(view("p2", at(4, 0))));
            job.processAllAvailable(); // batch 1: 10:04:00 is behind its watermark, not behind batch 0's

            // Spark (3.4+) filters late input by the previous batch's watermark: p2 counts.
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(Map.of(key(4, "p1"), 1L, key(4, "p2"), 1L));
            awaitProgress(p -> p.batches() == 2 && p.inputRows() == 2 && p.lateRows() == 0);
            try (java.sql.Connection connection = db.connect()) {
                BatchRanges.Batch second = BatchRanges.load(connection, AnalyticsSchema.QUERY_NAME).batches().stream()
                        .filter(b -> b.batchId() == 1).findFirst().orElseThrow();
                assertThat(BatchRange.isLate(at(4, 0), second.watermark())).as("behind the batch's own watermark").isTrue();
                assertThat(BatchRange.isLate(at(4, 0), second.lateWatermark())).as("the audit's verdict on p2").isFalse();
            }
        } finally {
            job.spark().conf().set(NO_DATA_BATCHES, "true");
        }
    }

    @Test
    void shouldCountOutOfOrderEventThatIsStillWithinTheWatermark() {
        job.send(List.of(view("p1", at(5, 30))));
        job.processAllAvailable(); // watermark 10:04:30
        job.send(List.of(view("p1", at(4, 45)), view("p2", at(4, 31))));
        job.processAllAvailable();

        assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(Map.of(key(4, "p1"), 2L, key(4, "p2"), 1L));
        awaitProgress(p -> p.lateRows() == 0 && p.inputRows() == 3);
    }

    @Test
    void shouldCountDuplicateEventOnceWithinTheWatermark() {
        TestMessage event = view("p1", at(5, 0));
        job.send(List.of(event, event));
        job.processAllAvailable();
        job.send(List.of(event, view("p1", at(5, 10))));
        job.processAllAvailable();

        assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(Map.of(key(4, "p1"), 2L));
        assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(Map.of(key(4, "books"), 2L));
    }

    @Test
    void shouldKeepAWindowsEventIdsUntilTheWatermarkPassesItsEnd() {
        List<TestMessage> first = List.of(view("p1", at(0, 10)), view("p1", at(1, 50)), view("p2", at(2, 0)));
        job.send(first);
        job.processAllAvailable(); // watermark 10:01:00: window 10:00-10:02 open
        List<TestMessage> second = List.of(view("p3", at(2, 59)));
        job.send(second);
        job.processAllAvailable(); // watermark 10:01:59: still open, so a copy of 10:00:10 must still be found

        assertThat(countedIds()).containsExactlyInAnyOrderElementsOf(idsOf(first, second));
        assertThat(deduplicationState("numExpiredTimers")).as("windows closed").isZero();
    }

    @Test
    void shouldForgetAClosedWindowsEventIdsOnceTheWatermarkPassesItsEnd() {
        TestMessage forgotten = view("p1", at(1, 50));
        List<TestMessage> closing = List.of(view("p1", at(0, 10)), forgotten, view("p2", at(1, 55)));
        List<TestMessage> open = List.of(view("p3", at(2, 0)), view("p4", at(3, 30)));
        job.send(closing);
        job.send(open);
        job.processAllAvailable(); // watermark 10:02:30: window 10:00-10:02 closed, its ids forgotten

        assertThat(countedIds()).containsExactlyInAnyOrderElementsOf(idsOf(open));
        job.send(List.of(TestMessage.late(forgotten.event()))); // a copy of a forgotten id: late, so counted nowhere
        job.processAllAvailable();
        assertThat(tables.productViews()).containsEntry(key(0, "p1"), 2L);
        assertTablesEqualTheReference();
    }

    @Test
    void shouldHoldTheFullTotalOfAnOpenWindowAfterEveryBatch() {
        job.send(List.of(view("p1", at(0, 10)), view("p1", at(0, 20)), purchase("p1", "0.10", at(0, 25))));
        job.processAllAvailable(); // watermark 09:59:25: the window 10:00-10:02 stays open
        job.send(List.of(view("p1", at(1, 0)), purchase("p2", "0.20", at(1, 30))));
        job.processAllAvailable();

        // The second batch added its own sums to the window: had it overwritten the window with them, the tables would hold 1 and 0.20.
        assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(Map.of(key(0, "p1"), 3L));
        assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(Map.of(key(0, "books"), new BigDecimal("0.30")));
        assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(Map.of(key(0, "books"), 5L));
    }

    @Test
    void shouldKeepEveryRejectedRecordOnceWithItsPositionAndReason() {
        job.send(List.of(TestMessage.invalid("k", "{not json", "not_json"), view("p1", at(0, 1)),
                TestMessage.invalid("k", "{\"event_type\":\"refund\"}", "missing_field:event_id")));
        job.processAllAvailable();

        assertThat(tables.rejected()).containsExactlyInAnyOrderElementsOf(reference().rejected);
        awaitProgress(p -> p.rejectedRows() == 2);
    }

    @Test
    void shouldChangeNothingWhenSparkReplaysACommittedBatch() throws IOException {
        job.send(List.of(view("p1", at(0, 10)), purchase("p2", "2.50", at(0, 40)), TestMessage.invalid("k", "[]", "not_json")));
        job.processAllAvailable();
        job.send(List.of(view("p1", at(1, 10)), purchase("p2", "2.50", at(1, 20))));
        job.processAllAvailable();
        String before = tables.dumpAll();
        long lastBatch = job.query().lastProgress().batchId();

        // Forget that the last batch committed: Spark then runs it again, on its offsets and the state before it.
        job.stop();
        Files.delete(Path.of(job.checkpointLocation(), "commits", String.valueOf(lastBatch)));
        Files.deleteIfExists(Path.of(job.checkpointLocation(), "commits", "." + lastBatch + ".crc"));
        job.start();
        job.processAllAvailable();

        assertThat(job.query().recentProgress()).extracting(StreamingQueryProgress::batchId).contains(lastBatch);
        assertThat(tables.dumpAll()).isEqualTo(before);
        assertTablesEqualTheReference();
    }

    /**
     * The event_ids the query's state holds after the last batch, read with Spark's state data source: the
     * "counted" map of every (window, product, category).
     */
    private List<String> countedIds() {
        return job.spark().read().format("statestore")
                .option("path", job.checkpointLocation())
                .option("operatorId", deduplicationOperatorId())
                .option("stateVarName", "first_copies")
                .load()
                .collectAsList().stream()
                .map(row -> row.getStruct(row.fieldIndex("user_map_key")).getString(0))
                .toList();
    }

    /** The de-duplication's operator in the checkpoint (the query's only stateful operator). */
    private long deduplicationOperatorId() {
        return job.spark().read().format("state-metadata").load(job.checkpointLocation())
                .filter("operatorName = 'transformWithStateExec'").select("operatorId").first().getLong(0);
    }

    @SafeVarargs
    private static List<String> idsOf(List<TestMessage>... batches) {
        return java.util.Arrays.stream(batches).flatMap(List::stream).map(message -> message.event().eventId()).toList();
    }

    /** A figure of the stateful operator (Spark's transformWithStateExec), summed over every batch of this run. */
    private long deduplicationState(String metric) {
        long total = 0;
        for (StreamingQueryProgress progress : job.query().recentProgress()) {
            for (var operator : progress.stateOperators()) {
                if (operator.operatorName().equals("transformWithStateExec")) {
                    Long value = operator.customMetrics().get(metric);
                    total += value == null ? 0 : value;
                }
            }
        }
        return total;
    }

    private ExpectedAnalytics reference() {
        return ExpectedAnalytics.of(job.sent(), MemoryStreamJob.TOPIC, WINDOW);
    }

    private void assertTablesEqualTheReference() {
        ExpectedAnalytics expected = reference();
        assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
        assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
        assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
    }

    private void awaitProgress(Predicate<ProgressTotals> condition) {
        // The listener adds Spark's figures just after the batch commits.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ProgressTotals totals = tables.progress().get(AnalyticsSchema.QUERY_NAME);
            return totals != null && condition.test(totals);
        });
    }

    private static Instant at(int minutes, int seconds) {
        return T0.plusSeconds(minutes * 60L + seconds);
    }

    private static WindowKey key(int windowStartMinute, String key) {
        Instant start = T0.plus(Duration.ofMinutes(windowStartMinute));
        return new WindowKey(start, start.plus(WINDOW), key);
    }

    private TestMessage view(String product, Instant time) {
        return TestMessage.onTime(viewEvent(product, time));
    }

    private TestMessage cart(String product, Instant time) {
        return TestMessage.onTime(event("add_to_cart", product, "3.00", time));
    }

    private TestMessage purchase(String product, String price, Instant time) {
        return TestMessage.onTime(purchaseEvent(product, price, time));
    }

    private ShopEvent viewEvent(String product, Instant time) {
        return event("product_view", product, "3.00", time);
    }

    private ShopEvent purchaseEvent(String product, String price, Instant time) {
        return event("purchase", product, price, time);
    }

    private ShopEvent event(String type, String product, String price, Instant time) {
        return new ShopEvent("evt-" + (++ids), type, "user_1", product, "books", new BigDecimal(price), time);
    }
}

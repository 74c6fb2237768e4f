package dev.shopstream.analytics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.MemoryStreamJob;
import dev.shopstream.analytics.support.RejectedRow;
import dev.shopstream.analytics.support.ShopEvent;
import dev.shopstream.analytics.support.SqlRows;
import dev.shopstream.analytics.support.TestMessage;
import dev.shopstream.analytics.support.WindowKey;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.RejectReason;
import dev.shopstream.contract.RejectedPayload;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * The contract's one meaning of a duplicate, held by the streaming job and the plain-Java oracle alike: an event_id
 * counts once per Kafka partition, the copy at the lowest offset; a later copy equal to it is a re-delivery, dropped
 * and counted; a later copy that differs is a conflicting duplicate, kept in rejected_events; a copy in another
 * partition counts again. Each test compares every table with the oracle over what it sent.
 */
class DuplicateSemanticsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;

    @TempDir
    Path tmp;

    private PostgresDatabase db;
    private AnalyticsTables tables;
    private MemoryStreamJob job;

    @BeforeEach
    void startQuery() {
        db = PostgresDatabase.forTests("analytics_duplicates").recreateWithSchema();
        tables = new AnalyticsTables(db);
        job = new MemoryStreamJob(db, tmp.resolve("checkpoints"), "0 seconds");
    }

    @AfterEach
    void stopQuery() {
        job.close();
    }

    @Test
    void shouldDropAnExactCopyInTheSamePartitionAndCountItAsADuplicate() {
        ShopEvent first = view("evt-1", "p1", "books", at(0, 10));
        job.send(List.of(TestMessage.onTime(first), TestMessage.onTime(view("evt-2", "p2", "books", at(0, 20)))));
        job.send(List.of(TestMessage.onTime(first)));
        job.processAllAvailable();

        assertTablesEqualTheOracle();
        assertThat(tables.productViews()).containsEntry(key(0, "p1"), 1L);
        assertThat(tables.rejected()).isEmpty();
        awaitProgressColumn("sum(duplicate_rows)", "1");
    }

    @Test
    void shouldKeepACopyWithAnotherProductAsideAsAConflictingDuplicate() {
        ShopEvent first = view("evt-1", "p1", "books", at(0, 10));
        ShopEvent otherProduct = view("evt-1", "p9", "books", at(0, 10));
        job.send(List.of(TestMessage.onTime(first)));
        job.send(List.of(TestMessage.onTime(otherProduct)));
        job.processAllAvailable();

        assertTablesEqualTheOracle();
        assertThat(tables.productViews()).containsOnlyKeys(key(0, "p1"));
        assertThat(tables.rejected()).containsExactly(conflict(otherProduct, 1));
        awaitProgressColumn("sum(rejected_rows)", "1");
    }

    @Test
    void shouldKeepACopyWithAnotherCategoryAsideAsAConflictingDuplicate() {
        ShopEvent first = view("evt-1", "p1", "books", at(0, 10));
        ShopEvent otherCategory = view("evt-1", "p1", "toys", at(0, 10));
        job.send(List.of(TestMessage.onTime(first), TestMessage.onTime(otherCategory)));
        job.processAllAvailable();

        assertTablesEqualTheOracle();
        assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(Map.of(key(0, "books"), 1L));
        assertThat(tables.rejected()).containsExactly(conflict(otherCategory, 1));
    }

    @Test
    void shouldKeepACopyInAnotherOpenWindowAsideAsAConflictingDuplicate() {
        ShopEvent first = view("evt-1", "p1", "books", at(0, 10));
        ShopEvent laterWindow = view("evt-1", "p1", "books", at(2, 30)); // 10:02-10:04, inside the watermark
        job.send(List.of(TestMessage.onTime(first), TestMessage.onTime(view("evt-2", "p2", "books", at(1, 0)))));
        job.processAllAvailable(); // watermark 10:00:00: the first copy's window 10:00-10:02 is open
        job.send(List.of(TestMessage.onTime(laterWindow)));
        job.processAllAvailable();

        assertTablesEqualTheOracle();
        assertThat(tables.productViews()).doesNotContainKey(key(2, "p1"));
        assertThat(tables.rejected()).containsExactly(conflict(laterWindow, 2));
    }

    @Test
    void shouldDropACopyInAWindowBeyondTheWatermarkAsLate() {
        ShopEvent first = view("evt-1", "p1", "books", at(4, 10));
        ShopEvent pastWindow = view("evt-1", "p1", "books", at(0, 10)); // 10:00-10:02, behind the watermark 10:03:10
        job.send(List.of(TestMessage.onTime(first)));
        job.processAllAvailable();
        job.send(List.of(TestMessage.late(pastWindow)));
        job.processAllAvailable();

        assertTablesEqualTheOracle();
        assertThat(tables.productViews()).containsOnlyKeys(key(4, "p1"));
        assertThat(tables.rejected()).isEmpty();
        awaitProgressColumn("sum(late_rows_dropped)", "1");
    }

    @Test
    void shouldCountACopyInAnotherPartitionAgain() {
        ShopEvent event = view("evt-1", "p1", "books", at(0, 10));
        job.send(List.of(TestMessage.onTime(event)), 0);
        job.send(List.of(TestMessage.onTime(event)), 1);
        job.processAllAvailable();

        assertTablesEqualTheOracle();
        assertThat(tables.productViews()).containsEntry(key(0, "p1"), 2L);
        assertThat(tables.rejected()).isEmpty();
    }

    @Test
    void shouldCountTheCopyAtTheLowestOffsetWhenBothArriveInOneBatch() {
        ShopEvent first = purchase("evt-1", "p1", "books", "10.00", at(0, 10));
        ShopEvent second = purchase("evt-1", "p1", "books", "99.00", at(0, 10));
        job.send(List.of(TestMessage.onTime(first), TestMessage.onTime(second)));
        job.processAllAvailable();

        assertTablesEqualTheOracle();
        assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(Map.of(key(0, "books"), new BigDecimal("10.00")));
        assertThat(tables.rejected()).containsExactly(conflict(second, 1));
    }

    private void assertTablesEqualTheOracle() {
        ExpectedAnalytics expected = ExpectedAnalytics.of(job.sent(), MemoryStreamJob.TOPIC, WINDOW);
        assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
        assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
        assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
        assertThat(tables.rejected()).containsExactlyInAnyOrderElementsOf(expected.rejected);
    }

    private void awaitProgressColumn(String sum, String expected) {
        // The batch's own transaction writes its counts; wait for the last batch's row.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(SqlRows.of(db, "SELECT " + sum + " FROM " + AnalyticsSchema.STREAM_PROGRESS)).containsExactly(expected));
    }

    private static RejectedRow conflict(ShopEvent copy, long offset) {
        return new RejectedRow(MemoryStreamJob.TOPIC, 0, offset, RejectedPayload.describing(copy.eventId(), copy.eventType(),
                copy.productId(), copy.category(), copy.price(), copy.eventTime()).text(), RejectReason.CONFLICTING_DUPLICATE);
    }

    private static ShopEvent view(String id, String product, String category, Instant time) {
        return new ShopEvent(id, "product_view", "user_1", product, category, new BigDecimal("3.00"), time);
    }

    private static ShopEvent purchase(String id, String product, String category, String price, Instant time) {
        return new ShopEvent(id, "purchase", "user_1", product, category, new BigDecimal(price), time);
    }

    private static Instant at(int minutes, int seconds) {
        return T0.plusSeconds(minutes * 60L + seconds);
    }

    private static WindowKey key(int windowStartMinute, String key) {
        Instant start = T0.plus(Duration.ofMinutes(windowStartMinute));
        return new WindowKey(start, start.plus(WINDOW), key);
    }
}

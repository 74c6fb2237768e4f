package dev.shopstream.analytics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.shopstream.analytics.checkpoint.BatchPosition;
import dev.shopstream.analytics.events.RejectedRecord;
import dev.shopstream.analytics.support.SqlRows;
import dev.shopstream.stack.PostgresDatabase;

/** The batch writer against the real PostgreSQL: one transaction per batch, and replays that change nothing. */
class AnalyticsWriterIT {

    private static final Instant WINDOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String ALL_TABLES = "SELECT 'views', window_start, window_end, product_id, view_count::text FROM product_view_window "
            + "UNION ALL SELECT 'activity', window_start, window_end, category, event_count::text FROM category_activity_window "
            + "UNION ALL SELECT 'revenue', window_start, window_end, category, total_revenue::text FROM category_revenue_window "
            + "ORDER BY 1, 4";

    private PostgresDatabase db;
    private AnalyticsWriter writer;

    @BeforeEach
    void freshDatabase() {
        db = PostgresDatabase.forTests("analytics_sink_it").recreateWithSchema();
        writer = new AnalyticsWriter(new JdbcTarget(db.jdbcUrl(), db.user(), db.password()), "shop_analytics");
    }

    @Test
    void shouldLeaveEveryTableExactlyAsItWasWhenBatchIsReplayed() throws Exception {
        List<Row> totals = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            totals.add(totals("prod_" + i, String.format("category %04d", i % 40), 3, 5, 1, "12.10"));
        }
        AnalyticsBatch batch = new AnalyticsBatch(7, totals, List.of(reject(41)), position(7));

        writer.write(batch);
        List<String> once = dump(ALL_TABLES);
        List<String> rejectedOnce = dump("SELECT source_offset, reason, seen_at FROM rejected_events");
        writer.write(batch);

        assertThat(once).hasSize(2_500 + 40 + 40);
        assertThat(dump(ALL_TABLES)).isEqualTo(once);
        assertThat(dump("SELECT source_offset, reason, seen_at FROM rejected_events")).isEqualTo(rejectedOnce);
        assertThat(dump("SELECT count(*) FROM window_totals")).containsExactly("2500");
    }

    @Test
    void shouldOverwriteWindowWithNewerRunningTotal() throws Exception {
        writer.write(new AnalyticsBatch(1, List.of(totals("prod_1", "books", 3, 4, 0, "0.00")), List.of(), position(1)));
        writer.write(new AnalyticsBatch(2, List.of(totals("prod_1", "books", 5, 7, 1, "9.99"), totals("prod_2", "books", 1, 1, 0, "0.00")),
                List.of(), position(2)));

        assertThat(dump("SELECT product_id, view_count FROM product_view_window ORDER BY product_id"))
                .containsExactly("prod_1|5", "prod_2|1");
        assertThat(dump("SELECT category, event_count FROM category_activity_window")).containsExactly("books|8");
        assertThat(dump("SELECT category, total_revenue FROM category_revenue_window")).containsExactly("books|9.99");
    }

    @Test
    void shouldRecomputeDerivedTotalsFromAllStoredRowsNotFromTheChangedOnesAlone() throws Exception {
        // prod_1 is seen in two categories; the second batch changes only its books row.
        writer.write(new AnalyticsBatch(1, List.of(totals("prod_1", "books", 2, 2, 0, "0.00"), totals("prod_1", "games", 3, 4, 1, "20.00"),
                totals("prod_2", "books", 1, 2, 1, "5.50")), List.of(), position(1)));
        writer.write(new AnalyticsBatch(2, List.of(totals("prod_1", "books", 4, 5, 1, "1.25")), List.of(), position(2)));

        assertThat(dump("SELECT product_id, view_count FROM product_view_window ORDER BY product_id"))
                .containsExactly("prod_1|7", "prod_2|1");
        assertThat(dump("SELECT category, event_count FROM category_activity_window ORDER BY category"))
                .containsExactly("books|7", "games|4");
        assertThat(dump("SELECT category, total_revenue FROM category_revenue_window ORDER BY category"))
                .containsExactly("books|6.75", "games|20.00");
    }

    @Test
    void shouldGiveNoRowToProductsWithoutViewsOrCategoriesWithoutPurchases() throws Exception {
        writer.write(new AnalyticsBatch(1, List.of(totals("prod_1", "books", 0, 2, 0, "0.00")), List.of(), position(1)));

        assertThat(dump("SELECT count(*) FROM product_view_window")).containsExactly("0");
        assertThat(dump("SELECT count(*) FROM category_revenue_window")).containsExactly("0");
        assertThat(dump("SELECT category, event_count FROM category_activity_window")).containsExactly("books|2");
    }

    @Test
    void shouldWriteNothingOfBatchThatFailsHalfway() {
        List<Row> totals = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            totals.add(totals("prod_" + i, "category " + i, 1, 1, 0, "0.00"));
        }
        totals.add(totals("prod_x", null, 1, 1, 0, "0.00")); // category NOT NULL

        assertThatThrownBy(() -> writer.write(new AnalyticsBatch(3, totals, List.of(reject(1)), position(3))))
                .isInstanceOf(SQLException.class).hasMessageContaining("batch 3");
        assertThat(dump("SELECT (SELECT count(*) FROM window_totals) + (SELECT count(*) FROM product_view_window) "
                + "+ (SELECT count(*) FROM category_activity_window) + (SELECT count(*) FROM rejected_events) "
                + "+ (SELECT count(*) FROM stream_progress)")).containsExactly("0");
    }

    @Test
    void shouldKeepFirstRecordOfRejectedMessageWhenReplayed() throws Exception {
        RejectedRecord reject = new RejectedRecord("user_events", 2, 41L, "not json\u0000with a NUL", "not_json");

        writer.write(new AnalyticsBatch(1, List.of(), List.of(reject), position(1)));
        List<String> once = dump("SELECT source_topic, source_partition, source_offset, raw_payload, reason, seen_at FROM rejected_events");
        writer.write(new AnalyticsBatch(1, List.of(), List.of(reject), position(1)));

        assertThat(dump("SELECT source_topic, source_partition, source_offset, raw_payload, reason, seen_at FROM rejected_events"))
                .isEqualTo(once)
                .singleElement().asString().startsWith("user_events|2|41|not json\uFFFDwith a NUL|not_json|");
    }

    @Test
    void shouldRecordTheBatchPositionInTheSameTransaction() throws Exception {
        BatchPosition position = new BatchPosition(5, "{\"user_events\":{\"0\":10}}", "{\"user_events\":{\"0\":25}}",
                Instant.parse("2026-11-25T10:01:00Z"), Instant.parse("2026-11-25T10:03:00Z"));

        writer.write(new AnalyticsBatch(5, List.of(totals("prod_1", "books", 1, 1, 0, "0.00")), List.of(reject(3), reject(4)), position));

        assertThat(dump("SELECT query_name, batch_id, start_offsets, end_offsets, watermark, rejected_rows, input_rows FROM stream_progress"))
                .containsExactly("shop_analytics|5|{\"user_events\":{\"0\":10}}|{\"user_events\":{\"0\":25}}|2026-11-25 10:01:00+00|2|null");
    }

    @Test
    void shouldNotConnectForEmptyBatch() throws Exception {
        AnalyticsWriter unreachable = new AnalyticsWriter(new JdbcTarget("jdbc:postgresql://127.0.0.1:1/nowhere", "nobody", ""), "q");

        unreachable.write(new AnalyticsBatch(9, List.of(), List.of(), null));
    }

    private static Row totals(String product, String category, long views, long events, long purchases, String revenue) {
        return RowFactory.create(ts(WINDOW), ts(WINDOW.plusSeconds(120)), product, category, views, events, purchases, new BigDecimal(revenue));
    }

    private static RejectedRecord reject(long offset) {
        return new RejectedRecord("user_events", 0, offset, "{oops", "not_json");
    }

    private static BatchPosition position(long batchId) {
        return new BatchPosition(batchId, null, "{\"user_events\":{\"0\":" + batchId + "}}", null, WINDOW);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private List<String> dump(String sql) {
        return SqlRows.of(db, sql);
    }
}

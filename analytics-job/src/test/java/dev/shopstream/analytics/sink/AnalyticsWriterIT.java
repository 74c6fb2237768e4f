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
import dev.shopstream.analytics.support.SqlRows;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * The batch writer against the real PostgreSQL: one transaction per batch, each batch's sums added to the totals of
 * its lineage, and replays that change nothing.
 */
class AnalyticsWriterIT {

    private static final Instant WINDOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String ALL_TABLES = "SELECT 'views', window_start, window_end, product_id, view_count::text FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + " "
            + "UNION ALL SELECT 'activity', window_start, window_end, category, event_count::text FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + " "
            + "UNION ALL SELECT 'revenue', window_start, window_end, category, total_revenue::text FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW + " "
            + "ORDER BY 1, 4";

    private static final String LINEAGE = "checkpoint-a";

    private PostgresDatabase db;
    private AnalyticsWriter writer;

    @BeforeEach
    void freshDatabase() {
        db = PostgresDatabase.forTests("analytics_sink_it").recreateWithSchema();
        writer = writerOf(LINEAGE);
    }

    @Test
    void shouldLeaveEveryTableExactlyAsItWasWhenBatchIsReplayed() throws Exception {
        List<Row> totals = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            totals.add(totals("prod_" + i, String.format("category %04d", i % 40), 3, 5, 1, "12.10"));
        }
        AnalyticsBatch batch = batch(7, totals, 1, position(7));

        writer.write(batch);
        List<String> once = dump(ALL_TABLES);
        writer.write(batch);

        assertThat(once).hasSize(2_500 + 40 + 40);
        assertThat(dump(ALL_TABLES)).isEqualTo(once);
        assertThat(dump("SELECT count(*) FROM " + AnalyticsSchema.WINDOW_TOTALS)).containsExactly("2500");
    }

    @Test
    void shouldAddEachBatchsSumsToTheWindowsTotals() throws Exception {
        writer.write(batch(1, List.of(totals("prod_1", "books", 3, 4, 0, "0.00")), 0, position(1)));
        writer.write(batch(2, List.of(totals("prod_1", "books", 2, 3, 1, "9.99"), totals("prod_2", "books", 1, 1, 0, "0.00")),
                0, position(2)));

        assertThat(dump("SELECT product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + " ORDER BY product_id"))
                .containsExactly("prod_1|5", "prod_2|1");
        assertThat(dump("SELECT category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW)).containsExactly("books|8");
        assertThat(dump("SELECT category, total_revenue FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW)).containsExactly("books|9.99");
    }

    @Test
    void shouldRecomputeDerivedTotalsFromAllStoredRowsNotFromTheChangedOnesAlone() throws Exception {
        // prod_1 is seen in two categories; the second batch changes only its books row.
        writer.write(batch(1, List.of(totals("prod_1", "books", 2, 2, 0, "0.00"), totals("prod_1", "games", 3, 4, 1, "20.00"),
                totals("prod_2", "books", 1, 2, 1, "5.50")), 0, position(1)));
        writer.write(batch(2, List.of(totals("prod_1", "books", 2, 3, 1, "1.25")), 0, position(2)));

        assertThat(dump("SELECT product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + " ORDER BY product_id"))
                .containsExactly("prod_1|7", "prod_2|1");
        assertThat(dump("SELECT category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + " ORDER BY category"))
                .containsExactly("books|7", "games|4");
        assertThat(dump("SELECT category, total_revenue FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW + " ORDER BY category"))
                .containsExactly("books|6.75", "games|20.00");
    }

    @Test
    void shouldReplaceTheTotalsAnotherLineageWroteInsteadOfAddingToThem() throws Exception {
        writer.write(batch(1, List.of(totals("prod_1", "books", 3, 4, 1, "2.50")), 0, position(1)));

        writerOf("checkpoint-b").write(batch(0, List.of(totals("prod_1", "books", 1, 2, 0, "0.00")), 0, position(0)));

        assertThat(dump("SELECT view_count, event_count, purchase_count, total_revenue, lineage FROM " + AnalyticsSchema.WINDOW_TOTALS))
                .containsExactly("1|2|0|0.00|checkpoint-b");
        assertThat(dump("SELECT category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW)).containsExactly("books|2");
    }

    @Test
    void shouldWriteANewLineagesBatchWhoseNumberAnotherLineageRecorded() throws Exception {
        writer.write(batch(1, List.of(totals("prod_1", "books", 3, 4, 0, "0.00")), 0, position(1)));

        writerOf("checkpoint-b").write(batch(1, List.of(totals("prod_1", "books", 2, 2, 0, "0.00")), 0, position(1)));

        assertThat(dump("SELECT product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW)).containsExactly("prod_1|2");
        assertThat(dump("SELECT batch_id, lineage FROM " + AnalyticsSchema.STREAM_PROGRESS)).containsExactly("1|checkpoint-b");
    }

    @Test
    void shouldGiveNoRowToAProductWithoutViews() throws Exception {
        writeTwoEventsWithoutViewsOrPurchases();

        assertThat(dump("SELECT count(*) FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW)).containsExactly("0");
    }

    @Test
    void shouldGiveNoRevenueRowToACategoryWithoutPurchases() throws Exception {
        writeTwoEventsWithoutViewsOrPurchases();

        assertThat(dump("SELECT count(*) FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW)).containsExactly("0");
    }

    @Test
    void shouldCountTheEventsOfACategoryWithoutViewsOrPurchases() throws Exception {
        writeTwoEventsWithoutViewsOrPurchases();

        assertThat(dump("SELECT category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW)).containsExactly("books|2");
    }

    private void writeTwoEventsWithoutViewsOrPurchases() throws SQLException {
        writer.write(batch(1, List.of(totals("prod_1", "books", 0, 2, 0, "0.00")), 0, position(1)));
    }

    @Test
    void shouldReturnTheRowTheDatabaseRefusedWithItsTableKeyAndState() throws Exception {
        List<QuarantinedRow> quarantined = writeABatchWithOneRowTheDatabaseRefuses();

        assertThat(quarantined).singleElement().satisfies(row -> {
            assertThat(row.table()).isEqualTo("window_totals");
            assertThat(row.key()).isEqualTo("2026-11-25T10:00:00Z|poison|category 1");
            assertThat(row.errorState()).isEqualTo("23514");
        });
    }

    @Test
    void shouldCommitTheRestOfABatchBesideTheRowTheDatabaseRefused() throws Exception {
        writeABatchWithOneRowTheDatabaseRefuses();

        assertThat(dump("SELECT count(*) FROM " + AnalyticsSchema.WINDOW_TOTALS)).containsExactly("1500");
        assertThat(dump("SELECT sum(event_count) FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW)).containsExactly("1500");
    }

    @Test
    void shouldStoreTheRefusedRowInQuarantineWithItsValues() throws Exception {
        writeABatchWithOneRowTheDatabaseRefuses();

        assertThat(dump("SELECT batch_id, table_name, row_key, error_state, row_values FROM " + AnalyticsSchema.QUARANTINED_ROWS)).containsExactly(
                "3|window_totals|2026-11-25T10:00:00Z|poison|category 1|23514|{\"window_start\":\"2026-11-25T10:00:00Z\","
                        + "\"window_end\":\"2026-11-25T10:02:00Z\",\"product_id\":\"poison\",\"category\":\"category 1\","
                        + "\"view_count\":2,\"event_count\":3,\"purchase_count\":1,\"total_revenue\":4.00}");
    }

    @Test
    void shouldCountTheQuarantinedRowsInTheBatchsProgressRow() throws Exception {
        writeABatchWithOneRowTheDatabaseRefuses();

        assertThat(dump("SELECT batch_id, quarantined_rows FROM " + AnalyticsSchema.STREAM_PROGRESS)).containsExactly("3|1");
    }

    /** Batch 3: 1,500 rows the database takes and one, 'poison', that a constraint refuses. */
    private List<QuarantinedRow> writeABatchWithOneRowTheDatabaseRefuses() throws SQLException {
        List<Row> totals = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            totals.add(totals("prod_" + i, "category " + i % 7, 1, 1, 0, "0.00"));
        }
        db.execute("ALTER TABLE " + AnalyticsSchema.WINDOW_TOTALS + " ADD CONSTRAINT no_poison CHECK (product_id <> 'poison')");
        totals.add(totals("poison", "category 1", 2, 3, 1, "4.00"));
        return writer.write(batch(3, totals, 0, position(3)));
    }

    @Test
    void shouldKeepTheQuarantineAndTheTotalsAsTheyWereWhenTheBatchIsReplayed() throws Exception {
        db.execute("ALTER TABLE " + AnalyticsSchema.WINDOW_TOTALS + " ADD CONSTRAINT no_poison CHECK (product_id <> 'poison')");
        AnalyticsBatch batch = batch(4, List.of(totals("prod_1", "books", 1, 1, 0, "0.00"),
                totals("poison", "books", 1, 1, 0, "0.00")), 0, position(4));

        writer.write(batch);
        List<String> once = dump("SELECT batch_id, table_name, row_key, row_values, error FROM " + AnalyticsSchema.QUARANTINED_ROWS);
        writer.write(batch);

        assertThat(dump("SELECT batch_id, table_name, row_key, row_values, error FROM " + AnalyticsSchema.QUARANTINED_ROWS)).hasSize(1).isEqualTo(once);
        assertThat(dump("SELECT product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW)).containsExactly("prod_1|1");
    }

    @Test
    void shouldQuarantineATableRowItsRecomputeCannotWriteAndKeepTheOthers() throws Exception {
        db.execute("ALTER TABLE " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + " ADD CONSTRAINT small_categories CHECK (event_count < 100)");

        writer.write(batch(5, List.of(totals("prod_1", "books", 1, 150, 0, "0.00"),
                totals("prod_2", "games", 1, 3, 0, "0.00")), 0, position(5)));

        assertThat(dump("SELECT table_name, row_key, error_state FROM " + AnalyticsSchema.QUARANTINED_ROWS))
                .containsExactly("category_activity_window|2026-11-25T10:00:00Z|books|23514");
        assertThat(dump("SELECT category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW)).containsExactly("games|3");
        assertThat(dump("SELECT count(*) FROM " + AnalyticsSchema.WINDOW_TOTALS)).containsExactly("2");
    }

    @Test
    void shouldStoreARevenueFarBeyondTheOldNumeric14Column() throws Exception {
        String revenue = "9223372036854775807.00"; // 2^63 - 1 in currency units: more than any 64-bit count of cents
        writer.write(batch(6, List.of(totals("prod_1", "books", 0, 1, 1, revenue),
                totals("prod_2", "books", 0, 1, 1, revenue)), 0, position(6)));

        assertThat(dump("SELECT category, total_revenue FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW))
                .containsExactly("books|" + new BigDecimal(revenue).multiply(BigDecimal.valueOf(2)).toPlainString());
    }

    @Test
    void shouldFailABatchWhoseProgressRowIsRefusedNamingTheBatchAndStateButNotTheSql() {
        db.execute("ALTER TABLE " + AnalyticsSchema.STREAM_PROGRESS + " ADD CONSTRAINT refuses_batch_3 CHECK (batch_id <> 3)");

        assertThatThrownBy(() -> writer.write(batch(3, List.of(totals("prod_1", "books", 1, 1, 0, "0.00")), 0, position(3))))
                .isInstanceOf(SQLException.class).hasMessageContaining("batch 3").hasMessageContaining("23514")
                .hasMessageNotContaining("INSERT");
    }

    @Test
    void shouldWriteNothingOfABatchWhoseProgressRowIsRefused() {
        db.execute("ALTER TABLE " + AnalyticsSchema.STREAM_PROGRESS + " ADD CONSTRAINT refuses_batch_3 CHECK (batch_id <> 3)");

        assertThatThrownBy(() -> writer.write(batch(3, List.of(totals("prod_1", "books", 1, 1, 0, "0.00")), 0, position(3))))
                .isInstanceOf(SQLException.class);
        assertThat(dump("SELECT (SELECT count(*) FROM " + AnalyticsSchema.WINDOW_TOTALS + ") + (SELECT count(*) FROM product_view_window) "
                + "+ (SELECT count(*) FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + ") + (SELECT count(*) FROM quarantined_rows) "
                + "+ (SELECT count(*) FROM " + AnalyticsSchema.STREAM_PROGRESS + ")")).containsExactly("0");
    }

    @Test
    void shouldRecordTheBatchPositionInTheSameTransaction() throws Exception {
        BatchPosition position = new BatchPosition(5, "{\"user_events\":{\"0\":10}}", "{\"user_events\":{\"0\":25}}",
                Instant.parse("2026-11-25T10:01:00Z"), Instant.parse("2026-11-25T10:03:00Z"));

        writer.write(batch(5, List.of(totals("prod_1", "books", 1, 1, 0, "0.00")), 2, position));

        assertThat(dump("SELECT query_name, batch_id, start_offsets, end_offsets, watermark, rejected_rows, quarantined_rows, input_rows FROM " + AnalyticsSchema.STREAM_PROGRESS))
                .containsExactly("shop_analytics|5|{\"user_events\":{\"0\":10}}|{\"user_events\":{\"0\":25}}|2026-11-25 10:01:00+00|2|0|null");
    }

    @Test
    void shouldNotConnectForEmptyBatch() throws Exception {
        AnalyticsWriter unreachable = new AnalyticsWriter(new JdbcTarget("jdbc:postgresql://127.0.0.1:1/nowhere", "nobody", ""), "q", LINEAGE);

        unreachable.write(batch(9, List.of(), 0, null));
    }

    private AnalyticsWriter writerOf(String lineage) {
        return new AnalyticsWriter(new JdbcTarget(db.jdbcUrl(), db.user(), db.password()), "shop_analytics", lineage);
    }

    /** A batch that dropped no re-delivered copies. */
    private static AnalyticsBatch batch(long batchId, List<Row> totals, long rejected, BatchPosition position) {
        return new AnalyticsBatch(batchId, totals, rejected, 0, position);
    }

    private static Row totals(String product, String category, long views, long events, long purchases, String revenue) {
        return RowFactory.create(ts(WINDOW), ts(WINDOW.plusSeconds(120)), product, category, views, events, purchases, new BigDecimal(revenue));
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

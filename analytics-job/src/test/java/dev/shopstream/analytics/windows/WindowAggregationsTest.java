package dev.shopstream.analytics.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.settings.WindowSpec;
import dev.shopstream.analytics.support.SparkTestSession;

/** The aggregations as batch jobs over small hand-made event tables, checked value for value. */
class WindowAggregationsTest {

    private static final StructType EVENTS = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("user_id", DataTypes.StringType)
            .add("product_id", DataTypes.StringType)
            .add("category", DataTypes.StringType)
            .add("price", EventParser.PRICE_TYPE)
            .add("event_time", DataTypes.TimestampType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType);
    private static final WindowSpec TWO_MINUTES = WindowSpec.defaults();

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkTestSession.get();
    }

    @Test
    void shouldCountProductViewsPerProductAndWindow() {
        Dataset<Row> events = events(
                event("e1", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:00:00Z"),
                event("e2", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:01:59.999Z"),
                event("e3", "product_view", "prod_2", "books", "7.00", "2026-11-25T10:01:00Z"),
                event("e4", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:02:00Z"),
                event("e5", "add_to_cart", "prod_1", "books", "5.00", "2026-11-25T10:00:30Z"),
                event("e6", "purchase", "prod_1", "books", "5.00", "2026-11-25T10:00:40Z"));

        Map<String, Object> views = table(WindowAggregations.productViews(events, TWO_MINUTES));

        assertThat(views).containsExactlyInAnyOrderEntriesOf(Map.of(
                "2026-11-25T10:00:00Z..2026-11-25T10:02:00Z prod_1", 2L,
                "2026-11-25T10:00:00Z..2026-11-25T10:02:00Z prod_2", 1L,
                "2026-11-25T10:02:00Z..2026-11-25T10:04:00Z prod_1", 1L));
    }

    @Test
    void shouldCountEventsOfEveryTypePerCategoryAndWindow() {
        Dataset<Row> events = events(
                event("e1", "product_view", "prod_1", "home & garden", "5.00", "2026-11-25T10:00:01Z"),
                event("e2", "add_to_cart", "prod_1", "home & garden", "5.00", "2026-11-25T10:00:02Z"),
                event("e3", "purchase", "prod_1", "home & garden", "5.00", "2026-11-25T10:00:03Z"),
                event("e4", "purchase", "prod_9", "玩具", "1.00", "2026-11-25T10:00:04Z"),
                event("e5", "product_view", "prod_1", "home & garden", "5.00", "2026-11-25T10:03:59Z"));

        Map<String, Object> activity = table(WindowAggregations.categoryActivity(events, TWO_MINUTES));

        assertThat(activity).containsExactlyInAnyOrderEntriesOf(Map.of(
                "2026-11-25T10:00:00Z..2026-11-25T10:02:00Z home & garden", 3L,
                "2026-11-25T10:00:00Z..2026-11-25T10:02:00Z 玩具", 1L,
                "2026-11-25T10:02:00Z..2026-11-25T10:04:00Z home & garden", 1L));
    }

    @Test
    void shouldSumRevenueOfPurchasesExactlyToTheCent() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(event("a" + i, "purchase", "prod_1", "books", "0.10", "2026-11-25T10:00:0" + i + "Z"));
            rows.add(event("b" + i, "purchase", "prod_2", "books", "0.20", "2026-11-25T10:00:1" + i + "Z"));
        }
        rows.add(event("v", "product_view", "prod_1", "books", "100.00", "2026-11-25T10:00:20Z"));
        rows.add(event("c", "add_to_cart", "prod_1", "books", "100.00", "2026-11-25T10:00:21Z"));
        rows.add(event("big", "purchase", "prod_3", "electronics", "999999.99", "2026-11-25T10:00:30Z"));
        rows.add(event("big2", "purchase", "prod_3", "electronics", "999999.99", "2026-11-25T10:00:31Z"));

        Map<String, Object> revenue = table(WindowAggregations.categoryRevenue(events(rows), TWO_MINUTES));

        assertThat(revenue).containsExactlyInAnyOrderEntriesOf(Map.of(
                "2026-11-25T10:00:00Z..2026-11-25T10:02:00Z books", new BigDecimal("0.90"),
                "2026-11-25T10:00:00Z..2026-11-25T10:02:00Z electronics", new BigDecimal("1999999.98")));
        // What the decimal arithmetic saves us from: the same sum in double is not 0.90.
        assertThat(0.10 + 0.20 + 0.10 + 0.20 + 0.10 + 0.20).isNotEqualTo(0.90);
    }

    @Test
    void shouldSumRevenueAsTheWidestDecimalWithCents() {
        Dataset<Row> revenue = WindowAggregations.categoryRevenue(events(
                event("a", "purchase", "prod_1", "books", "1.00", "2026-11-25T10:00:00Z")), TWO_MINUTES);

        assertThat(revenue.schema().apply("total_revenue").dataType()).isEqualTo(DataTypes.createDecimalType(38, 2));
    }

    @Test
    void shouldCountDuplicateEventOnce() {
        Row view = event("dup", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:00:00Z");
        Row purchase = event("dup-p", "purchase", "prod_1", "books", "5.00", "2026-11-25T10:00:10Z");
        Dataset<Row> events = events(view, view, view, purchase, purchase);

        assertThat(table(WindowAggregations.productViews(events, TWO_MINUTES)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("2026-11-25T10:00:00Z..2026-11-25T10:02:00Z prod_1", 1L));
        assertThat(table(WindowAggregations.categoryActivity(events, TWO_MINUTES)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("2026-11-25T10:00:00Z..2026-11-25T10:02:00Z books", 2L));
        assertThat(table(WindowAggregations.categoryRevenue(events, TWO_MINUTES)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("2026-11-25T10:00:00Z..2026-11-25T10:02:00Z books", new BigDecimal("5.00")));
    }

    @Test
    void shouldCountTheFirstCopyByOffsetWhenCopiesOfAnEventDiffer() {
        Dataset<Row> events = events(
                event("same-id", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:00:00Z"),
                event("same-id", "product_view", "prod_2", "toys", "5.00", "2026-11-25T10:00:00Z"));

        assertThat(table(WindowAggregations.productViews(events, TWO_MINUTES)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("2026-11-25T10:00:00Z..2026-11-25T10:02:00Z prod_1", 1L));
        assertThat(table(WindowAggregations.categoryActivity(events, TWO_MINUTES)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("2026-11-25T10:00:00Z..2026-11-25T10:02:00Z books", 1L));
    }

    @Test
    void shouldCountACopyInAnotherKafkaPartitionAgain() {
        Row view = event("same-id", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:00:00Z");
        Dataset<Row> events = spark.createDataFrame(List.of(inPartition(view, 0, 7), inPartition(view, 1, 7)), EVENTS);

        assertThat(table(WindowAggregations.productViews(events, TWO_MINUTES)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("2026-11-25T10:00:00Z..2026-11-25T10:02:00Z prod_1", 2L));
    }

    @Test
    void shouldUseWindowLengthOfTheSpec() {
        WindowSpec fiveMinutes = new WindowSpec(Duration.ofMinutes(5), Duration.ofMinutes(1));
        Dataset<Row> events = events(
                event("e1", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:00:00Z"),
                event("e2", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:04:59Z"),
                event("e3", "product_view", "prod_1", "books", "5.00", "2026-11-25T10:05:00Z"));

        assertThat(table(WindowAggregations.productViews(events, fiveMinutes))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "2026-11-25T10:00:00Z..2026-11-25T10:05:00Z prod_1", 2L,
                "2026-11-25T10:05:00Z..2026-11-25T10:10:00Z prod_1", 1L));
    }

    @Test
    void shouldShapeEveryResultLikeItsTable() {
        Dataset<Row> events = events(event("e1", "purchase", "prod_1", "books", "5.00", "2026-11-25T10:00:00Z"));

        assertThat(WindowAggregations.productViews(events, TWO_MINUTES).columns())
                .containsExactly("window_start", "window_end", "product_id", "view_count");
        assertThat(WindowAggregations.categoryActivity(events, TWO_MINUTES).columns())
                .containsExactly("window_start", "window_end", "category", "event_count");
        assertThat(WindowAggregations.categoryRevenue(events, TWO_MINUTES).columns())
                .containsExactly("window_start", "window_end", "category", "total_revenue");
    }

    private static Row event(String id, String type, String product, String category, String price, String time) {
        return RowFactory.create(id, type, "user_1", product, category, new BigDecimal(price), Timestamp.from(Instant.parse(time)));
    }

    private static Dataset<Row> events(Row... rows) {
        return events(List.of(rows));
    }

    /** The events in partition 0, at offsets in the order given. */
    private static Dataset<Row> events(List<Row> rows) {
        List<Row> positioned = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            positioned.add(inPartition(rows.get(i), 0, i));
        }
        return spark.createDataFrame(positioned, EVENTS);
    }

    private static Row inPartition(Row event, int partition, long offset) {
        return RowFactory.create(event.get(0), event.get(1), event.get(2), event.get(3), event.get(4), event.get(5), event.get(6),
                partition, offset);
    }

    /** "start..end key" -> value. */
    private static Map<String, Object> table(Dataset<Row> result) {
        Map<String, Object> table = new TreeMap<>();
        for (Row row : result.collectAsList()) {
            String key = ((Timestamp) row.get(0)).toInstant() + ".." + ((Timestamp) row.get(1)).toInstant() + " " + row.getString(2);
            assertThat(table.put(key, row.get(3))).as("duplicate output row %s", key).isNull();
        }
        return table;
    }
}

package dev.shopstream.analytics.windows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * The three analytics, as functions of valid events ({@link EventParser#validEvents}). Each gives the same
 * answer on a batch DataFrame and on a streaming one: on a stream, the watermark bounds the state and drops
 * events that arrive after it, and the de-duplication by event_id holds for as long as the watermark keeps
 * the id; on a batch, there is no watermark and every duplicate is dropped.
 *
 * <p>The streaming job runs ONE aggregation, {@link #windowTotals}: every (window, product, category) with all
 * three analytics at once, behind one watermark and one de-duplication. The three business tables are sums of
 * those rows ({@link #productViewsOf}, {@link #categoryActivityOf}, {@link #categoryRevenueOf} here for batches;
 * the sink recomputes them in SQL from the stored totals, see {@code DerivedTable}).
 */
public final class WindowAggregations {

    // The result's columns are those of the tables (the contract's names).
    public static final String WINDOW_START = AnalyticsSchema.WINDOW_START;
    public static final String WINDOW_END = AnalyticsSchema.WINDOW_END;
    public static final String VIEW_COUNT = AnalyticsSchema.VIEW_COUNT;
    public static final String EVENT_COUNT = AnalyticsSchema.EVENT_COUNT;
    public static final String PURCHASE_COUNT = AnalyticsSchema.PURCHASE_COUNT;
    public static final String TOTAL_REVENUE = AnalyticsSchema.TOTAL_REVENUE;

    private WindowAggregations() {
    }

    /**
     * The fine-grained totals, one row per (window, product, category). Columns: window_start, window_end,
     * product_id, category, view_count, event_count, purchase_count, total_revenue (decimal: the sum of
     * purchase prices; 0.00 where there was no purchase, exact, never a double).
     */
    public static Dataset<Row> windowTotals(Dataset<Row> events, WindowSpec spec) {
        Column isView = col(EventParser.EVENT_TYPE).equalTo(EventParser.PRODUCT_VIEW);
        Column isPurchase = col(EventParser.EVENT_TYPE).equalTo(EventParser.PURCHASE);
        // user_id counts in no analytic: dropped before the first shuffle, which carries every valid event.
        return deduplicated(events.drop(EventParser.USER_ID), spec)
                .groupBy(window(col(EventParser.EVENT_TIME), spec.windowInterval()).as("window"),
                        col(EventParser.PRODUCT_ID), col(EventParser.CATEGORY))
                .agg(count(when(isView, lit(1))).as(VIEW_COUNT),
                        count(lit(1)).as(EVENT_COUNT),
                        count(when(isPurchase, lit(1))).as(PURCHASE_COUNT),
                        // Decimal in, decimal out (precision grows by 10 digits, scale stays 2): 0.10 + 0.20 is 0.30.
                        sum(when(isPurchase, col(EventParser.PRICE)).otherwise(lit(java.math.BigDecimal.ZERO).cast(EventParser.PRICE_TYPE)))
                                .as(TOTAL_REVENUE))
                .select(col("window.start").as(WINDOW_START), col("window.end").as(WINDOW_END), col(EventParser.PRODUCT_ID),
                        col(EventParser.CATEGORY), col(VIEW_COUNT), col(EVENT_COUNT), col(PURCHASE_COUNT), col(TOTAL_REVENUE));
    }

    /** A: how many times each product was viewed per window. Columns: window_start, window_end, product_id, view_count. */
    public static Dataset<Row> productViews(Dataset<Row> events, WindowSpec spec) {
        return productViewsOf(windowTotals(events, spec));
    }

    /** B: events of every type per category per window. Columns: window_start, window_end, category, event_count. */
    public static Dataset<Row> categoryActivity(Dataset<Row> events, WindowSpec spec) {
        return categoryActivityOf(windowTotals(events, spec));
    }

    /** C: revenue per category per window, the sum of purchase prices. Columns: window_start, window_end, category, total_revenue. */
    public static Dataset<Row> categoryRevenue(Dataset<Row> events, WindowSpec spec) {
        return categoryRevenueOf(windowTotals(events, spec));
    }

    /** A from batch {@link #windowTotals}: products with at least one view. */
    public static Dataset<Row> productViewsOf(Dataset<Row> totals) {
        return sumOf(totals, EventParser.PRODUCT_ID, VIEW_COUNT, VIEW_COUNT);
    }

    /** B from batch {@link #windowTotals}. */
    public static Dataset<Row> categoryActivityOf(Dataset<Row> totals) {
        return sumOf(totals, EventParser.CATEGORY, EVENT_COUNT, EVENT_COUNT);
    }

    /** C from batch {@link #windowTotals}: categories with at least one purchase. */
    public static Dataset<Row> categoryRevenueOf(Dataset<Row> totals) {
        return sumOf(totals, EventParser.CATEGORY, TOTAL_REVENUE, PURCHASE_COUNT);
    }

    /** Sums {@code value} per window and key, keeping the keys whose {@code presence} column sums above zero. */
    private static Dataset<Row> sumOf(Dataset<Row> totals, String key, String value, String presence) {
        return totals.groupBy(col(WINDOW_START), col(WINDOW_END), col(key))
                .agg(sum(col(value)).as(value), sum(col(presence)).as("_presence"))
                .filter(col("_presence").gt(0))
                .select(col(WINDOW_START), col(WINDOW_END), col(key), col(value).cast(totals.schema().apply(value).dataType()).as(value));
    }

    /**
     * A re-delivered event (same event_id) counts once. On a stream, the watermark goes first: it is what lets
     * Spark forget an id (once the watermark passes the event time plus the delay) and drop events that come
     * too late; being the query's only watermark, it decides lateness once for all three analytics. Spark
     * refuses dropDuplicatesWithinWatermark on a batch, where all the data is there at once and a plain
     * dropDuplicates means the same: one row per event_id.
     */
    static Dataset<Row> deduplicated(Dataset<Row> events, WindowSpec spec) {
        if (!events.isStreaming()) {
            return events.dropDuplicates(EventParser.EVENT_ID);
        }
        Dataset<Row> watermarked = events.withWatermark(EventParser.EVENT_TIME, spec.watermarkInterval());
        StructType schema = watermarked.schema();
        Encoder<Row> rows = Encoders.row(schema);
        // Keyed by event_id; the output keeps event_time as its event-time column, so the aggregation after it
        // runs behind the same watermark.
        return watermarked.groupBy(col(EventParser.EVENT_ID)).as(Encoders.STRING(), rows)
                .transformWithState(new FirstSighting(schema.fieldIndex(EventParser.EVENT_TIME), spec.watermarkDelay().toMillis()),
                        EventParser.EVENT_TIME, OutputMode.Append(), rows);
    }
}

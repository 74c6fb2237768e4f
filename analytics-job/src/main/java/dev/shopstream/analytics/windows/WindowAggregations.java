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
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * The three analytics, as functions of valid events ({@link EventParser#validEvents}). Each gives the same
 * answer on a batch DataFrame and on a streaming one: on a stream, the watermark bounds the state and drops
 * events that arrive after it, and a re-delivered event is found for as long as its window is open; on a batch,
 * there is no watermark and every duplicate is dropped.
 *
 * <p>The streaming job runs ONE stateful step, {@link #windowTotals}: every (window, product, category) with all
 * three analytics at once, behind one watermark, de-duplicated in the same state. The three business tables are sums of
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

    /**
     * The layout of the stream's state, recorded in its checkpoint (CheckpointManifest): a new layout cannot
     * resume an old checkpoint, so each change of what the state holds gets a new name.
     */
    public static final String STATE_LAYOUT = "window-key-totals-and-ids/revenue-128-bit";

    /**
     * A sum of prices: Spark's widest decimal. It holds any window's revenue a valid stream can reach (at most
     * 2^63 - 1 purchases at the contract's highest price, 25 integer digits), as numeric(38, 2) does in the tables.
     */
    public static final DecimalType REVENUE_TYPE = DataTypes.createDecimalType(38, 2);

    /** The stream's rows, typed as the batch aggregation types them. */
    static final StructType TOTALS_SCHEMA = new StructType()
            .add(WINDOW_START, DataTypes.TimestampType)
            .add(WINDOW_END, DataTypes.TimestampType)
            .add(EventParser.PRODUCT_ID, DataTypes.StringType)
            .add(EventParser.CATEGORY, DataTypes.StringType)
            .add(VIEW_COUNT, DataTypes.LongType, false)
            .add(EVENT_COUNT, DataTypes.LongType, false)
            .add(PURCHASE_COUNT, DataTypes.LongType, false)
            .add(TOTAL_REVENUE, REVENUE_TYPE);

    private WindowAggregations() {
    }

    /**
     * The fine-grained totals, one row per (window, product, category). Columns: window_start, window_end,
     * product_id, category, view_count, event_count, purchase_count, total_revenue (decimal: the sum of
     * purchase prices; 0.00 where there was no purchase, exact, never a double).
     */
    public static Dataset<Row> windowTotals(Dataset<Row> events, WindowSpec spec) {
        // user_id counts in no analytic: dropped before the shuffle, which carries every valid event.
        Dataset<Row> counted = events.drop(EventParser.USER_ID);
        return counted.isStreaming() ? streamingTotals(counted, spec) : batchTotals(counted, spec);
    }

    /**
     * On a batch all the data is there at once: a plain dropDuplicates by event_id, then one aggregation.
     */
    private static Dataset<Row> batchTotals(Dataset<Row> events, WindowSpec spec) {
        Column isView = col(EventParser.EVENT_TYPE).equalTo(EventParser.PRODUCT_VIEW);
        Column isPurchase = col(EventParser.EVENT_TYPE).equalTo(EventParser.PURCHASE);
        return events.dropDuplicates(EventParser.EVENT_ID)
                .groupBy(window(col(EventParser.EVENT_TIME), spec.windowInterval()).as("window"),
                        col(EventParser.PRODUCT_ID), col(EventParser.CATEGORY))
                .agg(count(when(isView, lit(1))).as(VIEW_COUNT),
                        count(lit(1)).as(EVENT_COUNT),
                        count(when(isPurchase, lit(1))).as(PURCHASE_COUNT),
                        // Decimal in, decimal out, at the widest precision so that no sum overflows: 0.10 + 0.20 is 0.30.
                        sum(when(isPurchase, col(EventParser.PRICE)).otherwise(lit(java.math.BigDecimal.ZERO)).cast(REVENUE_TYPE))
                                .as(TOTAL_REVENUE))
                .select(col("window.start").as(WINDOW_START), col("window.end").as(WINDOW_END), col(EventParser.PRODUCT_ID),
                        col(EventParser.CATEGORY), col(VIEW_COUNT), col(EVENT_COUNT), col(PURCHASE_COUNT), col(TOTAL_REVENUE));
    }

    /**
     * On a stream, the watermark goes first: being the query's only watermark, it decides lateness once for all
     * three analytics, and it is what closes a window. Then ONE stateful operator, keyed by (window, product,
     * category), de-duplicates and sums: {@link OpenWindowTotals}. Same answer as {@link #batchTotals} for a
     * stream whose copies of an event are re-deliveries of the same record (the same id, time, product and
     * category), which is what a re-delivery is.
     */
    private static Dataset<Row> streamingTotals(Dataset<Row> events, WindowSpec spec) {
        Dataset<Row> keyed = events.withWatermark(EventParser.EVENT_TIME, spec.watermarkInterval())
                .withColumn(WINDOW_START, window(col(EventParser.EVENT_TIME), spec.windowInterval()).getField("start"))
                .select(col(WINDOW_START), col(EventParser.PRODUCT_ID), col(EventParser.CATEGORY),
                        col(EventParser.EVENT_ID), col(EventParser.EVENT_TYPE), col(EventParser.PRICE), col(EventParser.EVENT_TIME));
        StructType schema = keyed.schema();
        StructType keySchema = new StructType(new StructField[] {
                schema.apply(WINDOW_START), schema.apply(EventParser.PRODUCT_ID), schema.apply(EventParser.CATEGORY)});
        OpenWindowTotals totals = new OpenWindowTotals(spec.window().toMillis(), schema.fieldIndex(EventParser.EVENT_ID),
                schema.fieldIndex(EventParser.EVENT_TYPE), schema.fieldIndex(EventParser.PRICE));
        return keyed.groupBy(col(WINDOW_START), col(EventParser.PRODUCT_ID), col(EventParser.CATEGORY))
                .as(Encoders.row(keySchema), Encoders.row(schema))
                .transformWithState(totals, TimeMode.EventTime(), OutputMode.Update(), Encoders.row(TOTALS_SCHEMA));
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
}

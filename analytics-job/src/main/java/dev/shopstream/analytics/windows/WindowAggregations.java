package dev.shopstream.analytics.windows;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import java.math.BigDecimal;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.shopstream.analytics.dedup.EventDeduplicator;
import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.settings.WindowSpec;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * The three analytics, as functions of valid events with their Kafka position ({@link EventParser#validEvents}: the
 * event's columns, partition and offset). Each event_id counts once per Kafka partition, the copy at the lowest
 * offset (the contract's meaning of a duplicate). On a stream ({@link #firstCopiesOfStream}) the watermark drops late
 * events and bounds the state, and {@link EventDeduplicator} drops later copies while their first copy's window is
 * open; on a batch ({@link #windowTotals}) there is no watermark and every later copy is dropped. Both then aggregate
 * the first copies with the same function ({@link #totalsOf}).
 *
 * <p>The stream has ONE stateful step, the de-duplication, keyed by (Kafka partition, bucket of the event_id), so
 * that a re-sent copy (same key, same partition) is looked up where its first copy is. Each micro-batch's first
 * copies are then summed as a batch ({@link #totalsOf}: partial sums before the shuffle, no state), and the sink
 * adds those sums to the stored totals in the batch's transaction. A second, stateful aggregation kept the running
 * totals in Spark's state instead; it cost every batch a second state store per partition to load and commit
 * (docs/benchmarks.md). The three business tables are sums of the
 * (window, product, category) rows ({@link #productViewsOf}, {@link #categoryActivityOf}, {@link #categoryRevenueOf}
 * here for batches; the sink recomputes them in SQL from the stored totals, see {@code DerivedTable}).
 */
public final class WindowAggregations {

    /**
     * The layout of the stream's state, recorded in its checkpoint (CheckpointManifest): a new layout cannot
     * resume an old checkpoint, so each change of what the state holds gets a new name.
     */
    public static final String STATE_LAYOUT = "first-copy-fingerprint-per-partition-one-id-list";

    /**
     * A sum of prices: Spark's widest decimal. It holds any window's revenue a valid stream can reach (at most
     * 2^63 - 1 purchases at the contract's highest price, 25 integer digits), as numeric(38, 2) does in the tables.
     */
    public static final DecimalType REVENUE_TYPE = DataTypes.createDecimalType(38, 2);
    /** The de-duplication's keys per Kafka partition: enough keys to spread a few partitions over the tasks. */
    static final int BUCKETS = 16;

    private static final String PARTITION = "partition";
    private static final String OFFSET = "offset";
    private static final String BUCKET = "_bucket";
    private static final String FINGERPRINT = "_fingerprint";
    private static final String WINDOW = "_window";
    /** What the de-duplication passes on of each first copy. */
    static final StructType FIRST_COPY_SCHEMA = new StructType()
            .add(EventContract.EVENT_TYPE, DataTypes.StringType)
            .add(EventContract.PRODUCT_ID, DataTypes.StringType)
            .add(EventContract.CATEGORY, DataTypes.StringType)
            .add(EventContract.PRICE, EventParser.PRICE_TYPE)
            .add(EventContract.EVENT_TIME, DataTypes.TimestampType);

    private WindowAggregations() {
    }

    /**
     * The fine-grained totals of a batch of events, one row per (window, product, category). Columns: window_start,
     * window_end, product_id, category, view_count, event_count, purchase_count, total_revenue (decimal: the sum of
     * purchase prices; 0.00 where there was no purchase, exact, never a double).
     */
    public static Dataset<Row> windowTotals(Dataset<Row> events, WindowSpec spec) {
        Column copy = row_number().over(Window.partitionBy(col(PARTITION), col(EventContract.EVENT_ID)).orderBy(col(OFFSET)));
        return totalsOf(events.withColumn("_copy", copy).filter(col("_copy").equalTo(1)), spec);
    }

    /**
     * The first copies of a stream's events, for {@link #totalsOf} to sum batch by batch. The watermark goes first:
     * being the query's only one, it decides lateness once for all three analytics, and it is what closes a window
     * (and lets the de-duplication forget its ids).
     */
    public static Dataset<Row> firstCopiesOfStream(Dataset<Row> events, WindowSpec spec, EventDeduplicator deduplicator) {
        Dataset<Row> keyed = events.withWatermark(EventContract.EVENT_TIME, spec.watermarkInterval())
                .select(col(PARTITION), pmod(hash(col(EventContract.EVENT_ID)), lit(BUCKETS)).as(BUCKET), col(OFFSET),
                        col(EventContract.EVENT_ID), col(EventContract.EVENT_TYPE), col(EventContract.PRODUCT_ID), col(EventContract.CATEGORY),
                        col(EventContract.PRICE), col(EventContract.EVENT_TIME),
                        xxhash64(col(EventContract.EVENT_TYPE), col(EventContract.PRODUCT_ID), col(EventContract.CATEGORY),
                                col(EventContract.PRICE), col(EventContract.EVENT_TIME)).as(FINGERPRINT));
        StructType schema = keyed.schema();
        StructType keySchema = new StructType(new StructField[] {schema.apply(PARTITION), schema.apply(BUCKET)});
        return keyed.groupBy(col(PARTITION), col(BUCKET))
                .as(Encoders.row(keySchema), Encoders.row(schema))
                .transformWithState(deduplicator, EventContract.EVENT_TIME, OutputMode.Append(), Encoders.row(FIRST_COPY_SCHEMA));
    }

    /**
     * The first copies' totals per (window, product, category): of a whole batch of events ({@link #windowTotals}),
     * or of one micro-batch of the stream's first copies, which the sink adds to the stored totals. user_id counts
     * in no analytic and never gets here.
     */
    public static Dataset<Row> totalsOf(Dataset<Row> firstCopies, WindowSpec spec) {
        Column isView = col(EventContract.EVENT_TYPE).equalTo(EventContract.PRODUCT_VIEW);
        Column isPurchase = col(EventContract.EVENT_TYPE).equalTo(EventContract.PURCHASE);
        return firstCopies
                .groupBy(window(col(EventContract.EVENT_TIME), spec.windowInterval()).as(WINDOW), col(EventContract.PRODUCT_ID),
                        col(EventContract.CATEGORY))
                .agg(count(when(isView, lit(1))).as(AnalyticsSchema.VIEW_COUNT),
                        count(lit(1)).as(AnalyticsSchema.EVENT_COUNT),
                        count(when(isPurchase, lit(1))).as(AnalyticsSchema.PURCHASE_COUNT),
                        // Decimal in, decimal out, at the widest precision so that no sum overflows: 0.10 + 0.20 is 0.30.
                        sum(when(isPurchase, col(EventContract.PRICE).cast(REVENUE_TYPE))).as(AnalyticsSchema.TOTAL_REVENUE))
                .select(col(WINDOW + ".start").as(AnalyticsSchema.WINDOW_START), col(WINDOW + ".end").as(AnalyticsSchema.WINDOW_END),
                        col(EventContract.PRODUCT_ID), col(EventContract.CATEGORY), col(AnalyticsSchema.VIEW_COUNT),
                        col(AnalyticsSchema.EVENT_COUNT), col(AnalyticsSchema.PURCHASE_COUNT),
                        coalesce(col(AnalyticsSchema.TOTAL_REVENUE), lit(BigDecimal.ZERO).cast(REVENUE_TYPE)).as(AnalyticsSchema.TOTAL_REVENUE));
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
        return sumOf(totals, EventContract.PRODUCT_ID, AnalyticsSchema.VIEW_COUNT, AnalyticsSchema.VIEW_COUNT);
    }

    /** B from batch {@link #windowTotals}. */
    public static Dataset<Row> categoryActivityOf(Dataset<Row> totals) {
        return sumOf(totals, EventContract.CATEGORY, AnalyticsSchema.EVENT_COUNT, AnalyticsSchema.EVENT_COUNT);
    }

    /** C from batch {@link #windowTotals}: categories with at least one purchase. */
    public static Dataset<Row> categoryRevenueOf(Dataset<Row> totals) {
        return sumOf(totals, EventContract.CATEGORY, AnalyticsSchema.TOTAL_REVENUE, AnalyticsSchema.PURCHASE_COUNT);
    }

    /** Sums {@code value} per window and key, keeping the keys whose {@code presence} column sums above zero. */
    private static Dataset<Row> sumOf(Dataset<Row> totals, String key, String value, String presence) {
        return totals.groupBy(col(AnalyticsSchema.WINDOW_START), col(AnalyticsSchema.WINDOW_END), col(key))
                .agg(sum(col(value)).as(value), sum(col(presence)).as("_presence"))
                .filter(col("_presence").gt(0))
                .select(col(AnalyticsSchema.WINDOW_START), col(AnalyticsSchema.WINDOW_END), col(key),
                        col(value).cast(totals.schema().apply(value).dataType()).as(value));
    }
}

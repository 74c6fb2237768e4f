package dev.shopstream.analytics.windows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import dev.shopstream.analytics.events.EventParser;

/**
 * The three analytics, as functions of valid events ({@link EventParser#validEvents}). Each gives the same
 * answer on a batch DataFrame and on a streaming one: on a stream, the watermark bounds the state and drops
 * events that arrive after it, and the de-duplication by event_id holds for as long as the watermark keeps
 * the id; on a batch, there is no watermark and every duplicate is dropped.
 *
 * <p>Every result has the columns window_start, window_end, the key column, the value column: the shape of
 * its table, so the sink writes rows as they come.
 */
public final class WindowAggregations {

    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String VIEW_COUNT = "view_count";
    public static final String EVENT_COUNT = "event_count";
    public static final String TOTAL_REVENUE = "total_revenue";

    private WindowAggregations() {
    }

    /** A: how many times each product was viewed per window. Columns: window_start, window_end, product_id, view_count. */
    public static Dataset<Row> productViews(Dataset<Row> events, WindowSpec spec) {
        Dataset<Row> views = ofType(events, EventParser.PRODUCT_VIEW);
        return perWindow(deduplicated(views, spec), spec, EventParser.PRODUCT_ID, VIEW_COUNT, count(lit(1)));
    }

    /** B: events of every type per category per window. Columns: window_start, window_end, category, event_count. */
    public static Dataset<Row> categoryActivity(Dataset<Row> events, WindowSpec spec) {
        return perWindow(deduplicated(events, spec), spec, EventParser.CATEGORY, EVENT_COUNT, count(lit(1)));
    }

    /**
     * C: revenue per category per window, the sum of purchase prices. Decimal in, decimal out (precision grows
     * by 10 digits, scale stays 2): no double anywhere, so 0.10 + 0.20 is 0.30.
     * Columns: window_start, window_end, category, total_revenue.
     */
    public static Dataset<Row> categoryRevenue(Dataset<Row> events, WindowSpec spec) {
        Dataset<Row> purchases = ofType(events, EventParser.PURCHASE);
        return perWindow(deduplicated(purchases, spec), spec, EventParser.CATEGORY, TOTAL_REVENUE,
                sum(col(EventParser.PRICE)));
    }

    /** Filtering before the de-duplication keeps the de-duplication state to the events the query counts. */
    private static Dataset<Row> ofType(Dataset<Row> events, String eventType) {
        return events.filter(col(EventParser.EVENT_TYPE).equalTo(eventType));
    }

    /**
     * A re-delivered event (same event_id) counts once. On a stream, the watermark goes first: it is what lets
     * Spark forget an id (once the watermark passes the event time plus the delay) and drop events that come
     * too late. Spark refuses dropDuplicatesWithinWatermark on a batch, where all the data is there at once and
     * a plain dropDuplicates means the same: one row per event_id.
     */
    static Dataset<Row> deduplicated(Dataset<Row> events, WindowSpec spec) {
        if (!events.isStreaming()) {
            return events.dropDuplicates(EventParser.EVENT_ID);
        }
        return events.withWatermark(EventParser.EVENT_TIME, spec.watermarkInterval())
                .dropDuplicatesWithinWatermark(EventParser.EVENT_ID);
    }

    private static Dataset<Row> perWindow(Dataset<Row> events, WindowSpec spec, String key, String valueName, Column value) {
        return events
                .groupBy(window(col(EventParser.EVENT_TIME), spec.windowInterval()).as("window"), col(key))
                .agg(value.as(valueName))
                .select(col("window.start").as(WINDOW_START), col("window.end").as(WINDOW_END), col(key), col(valueName));
    }
}

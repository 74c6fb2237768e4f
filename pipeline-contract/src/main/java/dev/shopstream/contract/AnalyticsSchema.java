package dev.shopstream.contract;

import java.time.Duration;
import java.util.List;

/**
 * The names that bind the job, the service, the tests and the benchmarks to the database: tables, their key
 * and value columns, the job's streaming query, and the event-time defaults. The DDL itself is sql/. This is their
 * one home: main code refers to these constants and never spells the names (OneHomePerFactTest holds it to that).
 */
public final class AnalyticsSchema {

    /** The job's one streaming query: its name in logs, in stream_progress.query_name and its checkpoint directory. */
    public static final String QUERY_NAME = "shop_analytics";

    public static final String WINDOW_TOTALS = "window_totals";
    public static final String PRODUCT_VIEW_WINDOW = "product_view_window";
    public static final String CATEGORY_ACTIVITY_WINDOW = "category_activity_window";
    public static final String CATEGORY_REVENUE_WINDOW = "category_revenue_window";
    public static final String REJECTED_EVENTS = "rejected_events";
    public static final String STREAM_PROGRESS = "stream_progress";
    /** Rows of a batch the database refused for what they hold, with the error: written instead of failing the batch. */
    public static final String QUARANTINED_ROWS = "quarantined_rows";
    /** The audit's result per closed window and table (sql/V3__audit.sql), read by GET /metrics/audit. */
    public static final String AUDIT_WINDOW = "audit_window";
    /** Each event the watermark dropped, found by the audit, with when it was folded into its window. */
    public static final String LATE_EVENTS = "late_events";
    /** One row per audit run: its duration, the batches and records it read, the windows it checked (sql/V6). */
    public static final String AUDIT_RUN = "audit_run";
    /** Flyway's record of the migrations applied (its default name; schema's SchemaMigrations keeps it). */
    public static final String MIGRATION_HISTORY = "flyway_schema_history";
    /** Every table of the schema. */
    public static final List<String> TABLES = List.of(WINDOW_TOTALS, PRODUCT_VIEW_WINDOW, CATEGORY_ACTIVITY_WINDOW,
            CATEGORY_REVENUE_WINDOW, REJECTED_EVENTS, STREAM_PROGRESS, QUARANTINED_ROWS, AUDIT_WINDOW, LATE_EVENTS, AUDIT_RUN, MIGRATION_HISTORY);

    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String VIEW_COUNT = "view_count";
    public static final String EVENT_COUNT = "event_count";
    public static final String PURCHASE_COUNT = "purchase_count";
    public static final String TOTAL_REVENUE = "total_revenue";

    /** The three tables the API serves, each a window, a key and a value: sums of window_totals rows. */
    public enum ResultTable {
        PRODUCT_VIEWS(PRODUCT_VIEW_WINDOW, EventContract.PRODUCT_ID, VIEW_COUNT),
        CATEGORY_ACTIVITY(CATEGORY_ACTIVITY_WINDOW, EventContract.CATEGORY, EVENT_COUNT),
        CATEGORY_REVENUE(CATEGORY_REVENUE_WINDOW, EventContract.CATEGORY, TOTAL_REVENUE);

        private final String table;
        private final String keyColumn;
        private final String valueColumn;

        ResultTable(String table, String keyColumn, String valueColumn) {
            this.table = table;
            this.keyColumn = keyColumn;
            this.valueColumn = valueColumn;
        }

        /** The table's name. */
        public String table() {
            return table;
        }

        /** Its key besides the window: product_id or category. */
        public String keyColumn() {
            return keyColumn;
        }

        /** Its value: view_count, event_count or total_revenue. */
        public String valueColumn() {
            return valueColumn;
        }
    }

    /** Tumbling event-time windows of this length. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    /** Events are accepted until the newest event time seen is this far past them. */
    public static final Duration DEFAULT_WATERMARK_DELAY = Duration.ofMinutes(1);

    private AnalyticsSchema() {
    }
}

package dev.shopstream.contract;

import java.time.Duration;

/**
 * The names that bind the job, the service, the tests and the benchmarks to the database: tables, their key
 * and value columns, the job's streaming query, and the event-time defaults. The DDL itself is sql/.
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
    /** One row per audit run: its duration, the batches and records it read, the windows it checked (sql/V6). */
    public static final String AUDIT_RUN = "audit_run";
    public static final String LATE_EVENTS = "late_events";

    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String VIEW_COUNT = "view_count";
    public static final String EVENT_COUNT = "event_count";
    public static final String PURCHASE_COUNT = "purchase_count";
    public static final String TOTAL_REVENUE = "total_revenue";

    /** Tumbling event-time windows of this length. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    /** Events are accepted until the newest event time seen is this far past them. */
    public static final Duration DEFAULT_WATERMARK_DELAY = Duration.ofMinutes(1);

    private AnalyticsSchema() {
    }
}

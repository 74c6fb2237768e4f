package dev.shopstream.producer.audit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shopstream.contract.AnalyticsSchema;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * GET /metrics/audit: what the job's audit (analytics-job, audit.WindowAudit) recorded in audit_window for the
 * closed windows it recomputed from Kafka. The descriptions are the document's (they say what each name means).
 */
@Schema(description = "The job's audit of its closed windows against a batch recompute from Kafka: a summary of every window "
        + "the filter selects, and the windows themselves, newest first, at most limit of them")
@JsonPropertyOrder({"summary", "windows"})
public record AuditReport(AuditSummary summary, List<AuditedWindow> windows) {

    @Schema(description = "Every window the filter selects: windows_audited, how many; all_exact, whether every one matches "
            + "(true when none was audited yet); first_mismatch, the oldest that does not (null when all match); last_audited_at, "
            + "when the newest audit of them ran (null when none was audited yet)")
    @JsonPropertyOrder({"windows_audited", "all_exact", "first_mismatch", "last_audited_at"})
    public record AuditSummary(long windowsAudited, boolean allExact, @Schema(nullable = true) AuditMismatch firstMismatch,
                               @Schema(nullable = true) Instant lastAuditedAt) {
    }

    @Schema(description = "One audited window. matches: every table's unexplained difference is 0, key by key. late_events: the "
            + "late events (dropped by the watermark) not folded in yet, each once; late_views, late_event_count, late_revenue: what "
            + "they carry in " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + ", " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + " and "
            + AnalyticsSchema.CATEGORY_REVENUE_WINDOW + ". unexplained_views, "
            + "unexplained_events, unexplained_revenue: the same tables' stream - (batch - late), 0 when the table is right. "
            + "mismatched_keys: the keys, over the three tables, whose own difference is not 0 (two errors can cancel out in a sum); "
            + "first_mismatch: the window's first table that is off (null when it matches)")
    @JsonPropertyOrder({"window_start", "window_end", "audited_at", "matches", "late_events", "late_views", "late_event_count",
        "late_revenue", "unexplained_views", "unexplained_events", "unexplained_revenue", "mismatched_keys", "first_mismatch"})
    public record AuditedWindow(Instant windowStart, Instant windowEnd, Instant auditedAt, boolean matches, long lateEvents,
                                long lateViews, long lateEventCount, BigDecimal lateRevenue, long unexplainedViews,
                                long unexplainedEvents, BigDecimal unexplainedRevenue, long mismatchedKeys,
                                @Schema(nullable = true) AuditMismatch firstMismatch) {
    }

    @Schema(description = "Where a window is off: its first table that is (in the order " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + ", "
            + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + ", " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW + "), that table's unexplained difference over the window (views "
            + "or events: a whole number; revenue: two decimal places), and the first key, by name, whose own difference is not 0 "
            + "(null if none is)")
    @JsonPropertyOrder({"window_start", "window_end", "table", "unexplained", "key"})
    public record AuditMismatch(Instant windowStart, Instant windowEnd,
                                @Schema(enumeration = {AnalyticsSchema.PRODUCT_VIEW_WINDOW, AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW,
                                    AnalyticsSchema.CATEGORY_REVENUE_WINDOW}) String table,
                                @Schema(description = "The table's unexplained difference over the window: stream - (batch - late)")
                                BigDecimal unexplained, @Schema(nullable = true) String key) {
    }
}

package dev.shopstream.producer.audit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shopstream.contract.AnalyticsSchema;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * GET /metrics/audit: what the job's audit (analytics-job, audit.WindowAudit) found for the closed windows it
 * recomputed from Kafka, one entry per window of the audit_window table, newest first, and a summary of every
 * window the filter selects (not only of those listed). The numbers are the job's: per table, the part of its
 * batch value carried by late events not folded in yet (late_*), and the rest no late event explains
 * (unexplained_* = stream - (batch - late)), which is 0 when the table is right.
 */
@JsonPropertyOrder({"summary", "windows"})
public record AuditReport(AuditSummary summary, List<AuditedWindow> windows) {

    /**
     * Every window the filter selects: how many were audited, whether all of them match, the oldest that does
     * not, and when the newest audit ran. Nothing audited yet: windows_audited 0, all_exact true (nothing is off),
     * first_mismatch and last_audited_at null.
     */
    @JsonPropertyOrder({"windows_audited", "all_exact", "first_mismatch", "last_audited_at"})
    public record AuditSummary(long windowsAudited, boolean allExact, @Schema(nullable = true) AuditMismatch firstMismatch,
                               @Schema(nullable = true) Instant lastAuditedAt) {
    }

    /**
     * One audited window. matches: every table's unexplained rest is 0, key by key (mismatched_keys 0).
     * late_events: the late events not folded in yet, each once; late_views, late_event_count and late_revenue:
     * what they carry in product_view_window, category_activity_window and category_revenue_window. The
     * unexplained differences of the same three tables; mismatched_keys: the keys, over the three tables, whose
     * own rest is not 0 (two errors can cancel out in a sum); first_mismatch: the first table that is off.
     */
    @JsonPropertyOrder({"window_start", "window_end", "audited_at", "matches", "late_events", "late_views", "late_event_count",
        "late_revenue", "unexplained_views", "unexplained_events", "unexplained_revenue", "mismatched_keys", "first_mismatch"})
    public record AuditedWindow(Instant windowStart, Instant windowEnd, Instant auditedAt, boolean matches, long lateEvents,
                                long lateViews, long lateEventCount, BigDecimal lateRevenue, long unexplainedViews,
                                long unexplainedEvents, BigDecimal unexplainedRevenue, long mismatchedKeys,
                                @Schema(nullable = true) AuditMismatch firstMismatch) {
    }

    /**
     * Where a window is off: its first table that is (in the order product_view_window, category_activity_window,
     * category_revenue_window), that table's unexplained difference over the window (views or events: a whole
     * number; revenue: two decimal places), and the first key whose own rest is not 0 (null if none is).
     */
    @JsonPropertyOrder({"window_start", "window_end", "table", "unexplained", "key"})
    public record AuditMismatch(Instant windowStart, Instant windowEnd,
                                @Schema(enumeration = {AnalyticsSchema.PRODUCT_VIEW_WINDOW, AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW,
                                    AnalyticsSchema.CATEGORY_REVENUE_WINDOW}) String table,
                                @Schema(description = "The table's unexplained difference over the window: stream - (batch - late)")
                                BigDecimal unexplained, @Schema(nullable = true) String key) {
    }
}

package dev.shopstream.producer.metrics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.shopstream.contract.AnalyticsSchema;

/**
 * The JSON shapes of the read API (snake_case on the wire). Every window they show says whether it is final and,
 * once the job's audit has checked it, the audit's verdict on it ({@link AuditVerdict}): see {@link #FINAL}.
 */
public final class WindowRows {

    /** What {@code final} means, in the document and here. */
    public static final String FINAL = "Whether the window is final: the newest batch's watermark (" + AnalyticsSchema.STREAM_PROGRESS + ".watermark of the job's "
            + "query) has passed its end, so no on-time event can change it. false: the window is open and its values are "
            + "provisional; false for every window before the job's first batch with a watermark";
    /** What {@code audit} is, in the document: of this window in {@code table}. */
    static final String AUDIT = "The verdict of the job's audit on this window in ";
    static final String NOT_AUDITED = "; null until the audit has checked it";

    private WindowRows() {
    }

    @JsonPropertyOrder({"window_start", "window_end", "product_id", "view_count", "final", "audit"})
    public record ProductViews(Instant windowStart, Instant windowEnd, String productId, long viewCount,
                               @Schema(description = FINAL) @JsonProperty("final") boolean isFinal,
                               @Schema(nullable = true, description = AUDIT + AnalyticsSchema.PRODUCT_VIEW_WINDOW + NOT_AUDITED) AuditVerdict audit) {
    }

    @JsonPropertyOrder({"window_start", "window_end", "category", "event_count", "final", "audit"})
    public record CategoryActivity(Instant windowStart, Instant windowEnd, String category, long eventCount,
                                   @Schema(description = FINAL) @JsonProperty("final") boolean isFinal,
                                   @Schema(nullable = true, description = AUDIT + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + NOT_AUDITED) AuditVerdict audit) {
    }

    @JsonPropertyOrder({"window_start", "window_end", "category", "total_revenue", "final", "audit"})
    public record CategoryRevenue(Instant windowStart, Instant windowEnd, String category, BigDecimal totalRevenue,
                                  @Schema(description = FINAL) @JsonProperty("final") boolean isFinal,
                                  @Schema(nullable = true, description = AUDIT + AnalyticsSchema.CATEGORY_REVENUE_WINDOW + NOT_AUDITED) AuditVerdict audit) {
    }

    /**
     * The audit's verdict on one window of one table (audit_window): {@code exact} when nothing in it is unexplained,
     * key by key, else {@code mismatch}, with the table's unexplained difference over the window and how many keys are off.
     */
    @Schema(description = "The job's audit of one window in one table (GET /metrics/audit has the details). verdict: exact when "
            + "the table's value of every key in the window equals the batch recompute from Kafka once the late events are "
            + "accounted for, else mismatch. unexplained: stream - (batch - late) over the window's keys, 0 when exact (views and "
            + "events: a whole number; revenue: two decimal places); a mismatch can have 0 when two keys' errors cancel out. "
            + "mismatched_keys: the keys whose own difference is not 0. audited_at: when the audit that found this ran")
    @JsonPropertyOrder({"verdict", "unexplained", "mismatched_keys", "audited_at"})
    public record AuditVerdict(@Schema(enumeration = {AuditVerdict.EXACT, AuditVerdict.MISMATCH}) String verdict,
                               @Schema(description = "The window's difference no late event explains, in this table: stream - (batch - late)")
                               BigDecimal unexplained, long mismatchedKeys, Instant auditedAt) {

        public static final String EXACT = "exact";
        public static final String MISMATCH = "mismatch";
    }

    /** A window's leaders, best first; {@code window_start} is null when there is no data yet. */
    @JsonPropertyOrder({"window_start", "window_end", "final", "audit", "products"})
    public record TopProducts(@Schema(nullable = true) Instant windowStart, @Schema(nullable = true) Instant windowEnd,
                              @Schema(description = FINAL + "; false when the window has no data") @JsonProperty("final") boolean isFinal,
                              @Schema(nullable = true, description = AUDIT + AnalyticsSchema.PRODUCT_VIEW_WINDOW + NOT_AUDITED) AuditVerdict audit,
                              List<RankedProduct> products) {
    }

    @JsonPropertyOrder({"rank", "product_id", "view_count"})
    public record RankedProduct(int rank, String productId, long viewCount) {
    }

    @JsonPropertyOrder({"window_start", "window_end", "by", "final", "audit", "categories"})
    public record TopCategories(@Schema(nullable = true) Instant windowStart, @Schema(nullable = true) Instant windowEnd,
                                @Schema(enumeration = {"events", "revenue"}) String by,
                                @Schema(description = FINAL + "; false when the window has no data") @JsonProperty("final") boolean isFinal,
                                @Schema(nullable = true, description = AUDIT + "the table ranked (" + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW
                                        + " by events, " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW + " by revenue)" + NOT_AUDITED) AuditVerdict audit,
                                List<RankedCategory> categories) {
    }

    /** One of event_count or total_revenue is set, as {@code by} asks. */
    @Schema(requiredProperties = {"rank", "category"})
    @JsonPropertyOrder({"rank", "category", "event_count", "total_revenue"})
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record RankedCategory(int rank, String category, Long eventCount, BigDecimal totalRevenue) {
    }
}

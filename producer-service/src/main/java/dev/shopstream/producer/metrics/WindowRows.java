package dev.shopstream.producer.metrics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON shapes of the read API (snake_case on the wire). */
public final class WindowRows {

    private WindowRows() {
    }

    @JsonPropertyOrder({"window_start", "window_end", "product_id", "view_count"})
    public record ProductViews(Instant windowStart, Instant windowEnd, String productId, long viewCount) {
    }

    @JsonPropertyOrder({"window_start", "window_end", "category", "event_count"})
    public record CategoryActivity(Instant windowStart, Instant windowEnd, String category, long eventCount) {
    }

    @JsonPropertyOrder({"window_start", "window_end", "category", "total_revenue"})
    public record CategoryRevenue(Instant windowStart, Instant windowEnd, String category, BigDecimal totalRevenue) {
    }

    /** A window's leaders, best first; {@code window_start} is null when there is no data yet. */
    @JsonPropertyOrder({"window_start", "window_end", "products"})
    public record TopProducts(@Schema(nullable = true) Instant windowStart, @Schema(nullable = true) Instant windowEnd, List<RankedProduct> products) {
    }

    @JsonPropertyOrder({"rank", "product_id", "view_count"})
    public record RankedProduct(int rank, String productId, long viewCount) {
    }

    @JsonPropertyOrder({"window_start", "window_end", "by", "categories"})
    public record TopCategories(@Schema(nullable = true) Instant windowStart, @Schema(nullable = true) Instant windowEnd,
                                @Schema(enumeration = {"events", "revenue"}) String by, List<RankedCategory> categories) {
    }

    /** One of event_count or total_revenue is set, as {@code by} asks. */
    @Schema(requiredProperties = {"rank", "category"})
    @JsonPropertyOrder({"rank", "category", "event_count", "total_revenue"})
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record RankedCategory(int rank, String category, Long eventCount, BigDecimal totalRevenue) {
    }
}

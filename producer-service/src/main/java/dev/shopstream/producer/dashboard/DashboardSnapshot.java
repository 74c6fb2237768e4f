package dev.shopstream.producer.dashboard;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.producer.audit.AuditReport.AuditSummary;
import dev.shopstream.producer.metrics.PipelineHealth;
import dev.shopstream.producer.metrics.WindowRows;
import dev.shopstream.producer.metrics.WindowRows.AuditVerdict;
import dev.shopstream.producer.metrics.WindowRows.TopProducts;

/**
 * GET /dashboard/snapshot: everything the dashboard page shows, in one answer. The pieces are the read API's
 * own shapes ({@code pipeline} is GET /metrics/pipeline, {@code top_products} is GET /metrics/top-products);
 * the category series are the window tables of the last {@code windows} windows, oldest first, one value per
 * window and category (0 where a category had no row in a window that has data), each window final or open and with its
 * audit's verdict as the window endpoints say it (the page draws open windows as provisional); {@code audit} is the summary of
 * GET /metrics/audit over every audited window, the page's audit line.
 */
@JsonPropertyOrder({"windows", "pipeline", "top_products", "category_events", "category_revenue", "audit"})
public record DashboardSnapshot(int windows, PipelineHealth pipeline, TopProducts topProducts,
                                CategorySeries<Long> categoryEvents, CategorySeries<java.math.BigDecimal> categoryRevenue,
                                AuditSummary audit) {

    /** One window of the time axis: final or open, and the audit's verdict on it in the series' table. */
    @JsonPropertyOrder({"window_start", "window_end", "final", "audit"})
    public record Window(Instant windowStart, Instant windowEnd,
                         @Schema(description = WindowRows.FINAL) @JsonProperty("final") boolean isFinal,
                         @Schema(nullable = true, description = "The verdict of the job's audit on this window in the series' "
                                 + "table (" + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + " or " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW
                                 + "); null until the audit has checked it")
                         AuditVerdict audit) {
    }

    /** One line of a chart: a category's value in each window of {@link CategorySeries#windows()}, in that order. */
    @JsonPropertyOrder({"category", "values"})
    public record Series<V>(String category, List<V> values) {
    }

    /** Windows oldest first; categories by their total over these windows, largest first, then by name. */
    @JsonPropertyOrder({"windows", "categories"})
    public record CategorySeries<V>(List<Window> windows, List<Series<V>> categories) {

        static <V> CategorySeries<V> empty() {
            return new CategorySeries<>(List.of(), List.of());
        }
    }
}

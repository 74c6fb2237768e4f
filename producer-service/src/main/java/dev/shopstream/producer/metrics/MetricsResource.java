package dev.shopstream.producer.metrics;

import java.time.Instant;
import java.util.List;

import dev.shopstream.producer.metrics.WindowRows.CategoryActivity;
import dev.shopstream.producer.metrics.WindowRows.CategoryRevenue;
import dev.shopstream.producer.metrics.WindowRows.ProductViews;
import dev.shopstream.producer.metrics.WindowRows.TopCategories;
import dev.shopstream.producer.metrics.WindowRows.TopProducts;
import dev.shopstream.producer.web.StorableText;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.hibernate.validator.constraints.Range;

/**
 * The analytics the job computed, as JSON: the three window tables with filters, and each window's leaders.
 * Parameters arrive typed and checked (ParameterConverters, Bean Validation) before any SQL runs; a bad one is
 * a 400 that names it.
 */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    private static final String RANGE = "must be from {min} to {max}";
    private static final String DEFAULT_N = "10";

    private final MetricsService metrics;
    private final PipelineHealthService pipeline;

    public MetricsResource(MetricsService metrics, PipelineHealthService pipeline) {
        this.metrics = metrics;
        this.pipeline = pipeline;
    }

    @GET
    @Path("/product-views")
    @Operation(summary = "Views per product per window, newest window first, then most viewed")
    public Uni<List<ProductViews>> productViews(
            @Parameter(description = "ISO-8601; windows starting at or after it") @QueryParam("from") Instant from,
            @Parameter(description = "ISO-8601; windows starting at or before it") @QueryParam("to") Instant to,
            @Parameter(description = "exact product id") @QueryParam("product_id") @StorableText(max = WindowFilter.MAX_KEY_LENGTH) String productId,
            @Parameter(description = "1 to 1000, default 100") @QueryParam("limit") @DefaultValue("100")
            @Range(min = 1, max = WindowFilter.MAX_LIMIT, message = RANGE) int limit) {
        return metrics.productViews(new WindowFilter(from, to, productId, limit));
    }

    @GET
    @Path("/category-activity")
    @Operation(summary = "Events of every type per category per window, newest window first, then busiest")
    public Uni<List<CategoryActivity>> categoryActivity(
            @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("category") @StorableText(max = WindowFilter.MAX_KEY_LENGTH) String category,
            @QueryParam("limit") @DefaultValue("100") @Range(min = 1, max = WindowFilter.MAX_LIMIT, message = RANGE) int limit) {
        return metrics.categoryActivity(new WindowFilter(from, to, category, limit));
    }

    @GET
    @Path("/category-revenue")
    @Operation(summary = "Purchase revenue per category per window (exact decimal), newest window first, then largest")
    public Uni<List<CategoryRevenue>> categoryRevenue(
            @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("category") @StorableText(max = WindowFilter.MAX_KEY_LENGTH) String category,
            @QueryParam("limit") @DefaultValue("100") @Range(min = 1, max = WindowFilter.MAX_LIMIT, message = RANGE) int limit) {
        return metrics.categoryRevenue(new WindowFilter(from, to, category, limit));
    }

    @GET
    @Path("/top-products")
    @Operation(summary = "The most viewed products of the latest window, or of the window starting at window_start")
    public Uni<TopProducts> topProducts(
            @QueryParam("n") @DefaultValue(DEFAULT_N) @Range(min = 1, max = WindowFilter.MAX_LIMIT, message = RANGE) int n,
            @QueryParam("window_start") Instant windowStart) {
        return metrics.topProducts(n, windowStart);
    }

    @GET
    @Path("/top-categories")
    @Operation(summary = "The leading categories of the latest window (or of window_start), by events or by revenue")
    public Uni<TopCategories> topCategories(
            @QueryParam("n") @DefaultValue(DEFAULT_N) @Range(min = 1, max = WindowFilter.MAX_LIMIT, message = RANGE) int n,
            @QueryParam("by") String by, @QueryParam("window_start") Instant windowStart) {
        return metrics.topCategories(n, Ranking.parse(by), windowStart);
    }

    @GET
    @Path("/pipeline")
    @Operation(summary = "The health of the stream as data: per query its last batch, rates, late and rejected rows, freshness")
    public Uni<PipelineHealth> pipeline() {
        return pipeline.health();
    }
}

package dev.shopstream.producer.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import dev.shopstream.producer.metrics.WindowRows.CategoryActivity;
import dev.shopstream.producer.metrics.WindowRows.CategoryRevenue;
import dev.shopstream.producer.metrics.WindowRows.ProductViews;
import dev.shopstream.producer.metrics.WindowRows.RankedCategory;
import dev.shopstream.producer.metrics.WindowRows.RankedProduct;
import dev.shopstream.producer.metrics.WindowRows.TopCategories;
import dev.shopstream.producer.metrics.WindowRows.TopProducts;
import dev.shopstream.producer.web.InvalidParameterException;
import dev.shopstream.producer.web.QueryParameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import static dev.shopstream.producer.metrics.AnalyticsRepository.instant;

/**
 * The analytics the job computed, as JSON: the three window tables with filters, and each window's leaders.
 * Parameters are checked before any SQL runs; a bad one is a 400 that names it.
 */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    private final AnalyticsRepository repository;
    private final PipelineHealthService pipeline;

    public MetricsResource(AnalyticsRepository repository, PipelineHealthService pipeline) {
        this.repository = repository;
        this.pipeline = pipeline;
    }

    @GET
    @Path("/product-views")
    @Operation(summary = "Views per product per window, newest window first, then most viewed")
    public Uni<List<ProductViews>> productViews(
            @Parameter(description = "ISO-8601; windows starting at or after it") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601; windows starting at or before it") @QueryParam("to") String to,
            @Parameter(description = "exact product id") @QueryParam("product_id") String productId,
            @Parameter(description = "1 to 1000, default 100") @QueryParam("limit") String limit) {
        WindowFilter filter = WindowFilter.parse(from, to, "product_id", productId, limit);
        return repository.windows(WindowTable.PRODUCT_VIEWS, filter,
                row -> new ProductViews(instant(row, "window_start"), instant(row, "window_end"), row.getString("key"), row.getLong("value")));
    }

    @GET
    @Path("/category-activity")
    @Operation(summary = "Events of every type per category per window, newest window first, then busiest")
    public Uni<List<CategoryActivity>> categoryActivity(@QueryParam("from") String from, @QueryParam("to") String to,
                                                        @QueryParam("category") String category, @QueryParam("limit") String limit) {
        WindowFilter filter = WindowFilter.parse(from, to, "category", category, limit);
        return repository.windows(WindowTable.CATEGORY_ACTIVITY, filter,
                row -> new CategoryActivity(instant(row, "window_start"), instant(row, "window_end"), row.getString("key"), row.getLong("value")));
    }

    @GET
    @Path("/category-revenue")
    @Operation(summary = "Purchase revenue per category per window (exact decimal), newest window first, then largest")
    public Uni<List<CategoryRevenue>> categoryRevenue(@QueryParam("from") String from, @QueryParam("to") String to,
                                                      @QueryParam("category") String category, @QueryParam("limit") String limit) {
        WindowFilter filter = WindowFilter.parse(from, to, "category", category, limit);
        return repository.windows(WindowTable.CATEGORY_REVENUE, filter,
                row -> new CategoryRevenue(instant(row, "window_start"), instant(row, "window_end"), row.getString("key"), row.getBigDecimal("value")));
    }

    @GET
    @Path("/top-products")
    @Operation(summary = "The most viewed products of the latest window, or of the window starting at window_start")
    public Uni<TopProducts> topProducts(@QueryParam("n") String n, @QueryParam("window_start") String windowStart) {
        int count = QueryParameters.count("n", n, 10, WindowFilter.MAX_LIMIT);
        Instant start = QueryParameters.instant("window_start", windowStart);
        return repository.leaders(WindowTable.PRODUCT_VIEWS, start, count, row -> row).map(rows -> {
            List<RankedProduct> ranked = new java.util.ArrayList<>();
            for (Row row : rows) {
                ranked.add(new RankedProduct(ranked.size() + 1, row.getString("key"), row.getLong("value")));
            }
            return rows.isEmpty() ? new TopProducts(start, null, ranked)
                    : new TopProducts(instant(rows.get(0), "window_start"), instant(rows.get(0), "window_end"), ranked);
        });
    }

    @GET
    @Path("/top-categories")
    @Operation(summary = "The leading categories of the latest window (or of window_start), by events or by revenue")
    public Uni<TopCategories> topCategories(@QueryParam("n") String n, @QueryParam("by") String by,
                                            @QueryParam("window_start") String windowStart) {
        int count = QueryParameters.count("n", n, 10, WindowFilter.MAX_LIMIT);
        String measure = by == null ? "events" : by.toLowerCase(Locale.ROOT);
        if (!measure.equals("events") && !measure.equals("revenue")) {
            throw new InvalidParameterException("by", "by must be 'events' or 'revenue', got '" + by + "'");
        }
        Instant start = QueryParameters.instant("window_start", windowStart);
        boolean byRevenue = measure.equals("revenue");
        WindowTable table = byRevenue ? WindowTable.CATEGORY_REVENUE : WindowTable.CATEGORY_ACTIVITY;
        return repository.leaders(table, start, count, row -> row).map(rows -> {
            List<RankedCategory> ranked = new java.util.ArrayList<>();
            for (Row row : rows) {
                int rank = ranked.size() + 1;
                ranked.add(byRevenue ? new RankedCategory(rank, row.getString("key"), null, row.getBigDecimal("value"))
                        : new RankedCategory(rank, row.getString("key"), row.getLong("value"), null));
            }
            return rows.isEmpty() ? new TopCategories(start, null, measure, ranked)
                    : new TopCategories(instant(rows.get(0), "window_start"), instant(rows.get(0), "window_end"), measure, ranked);
        });
    }

    @GET
    @Path("/pipeline")
    @Operation(summary = "The health of the stream as data: per query its last batch, rates, late and rejected rows, freshness")
    public Uni<PipelineHealth> pipeline() {
        return pipeline.health();
    }
}

package dev.shopstream.producer.analytics;

import java.time.Instant;
import java.util.List;

import dev.shopstream.producer.analytics.WindowRows.CategoryActivity;
import dev.shopstream.producer.analytics.WindowRows.CategoryRevenue;
import dev.shopstream.producer.analytics.WindowRows.ProductViews;
import dev.shopstream.producer.analytics.WindowRows.TopCategories;
import dev.shopstream.producer.analytics.WindowRows.TopProducts;
import dev.shopstream.producer.web.ApiDocument;
import dev.shopstream.producer.web.PostgresStorableText;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.validator.constraints.Range;

/**
 * The analytics the job computed, as JSON: the three window tables with filters, and each window's leaders; every
 * window says whether it is final and the audit's verdict on it (WindowRows). Parameters arrive typed and checked
 * (ParameterConverters, Bean Validation) before any SQL runs; a bad one is a 400 that names it.
 */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = ApiDocument.METRICS)
@SecurityRequirements // none: reads are open to all (security: [])
@APIResponse(responseCode = "503", ref = ApiDocument.DATABASE_UNAVAILABLE)
public class AnalyticsResource {

    private static final String RANGE = "must be from {min} to {max}";

    private final AnalyticsService analytics;

    public AnalyticsResource(AnalyticsService analytics) {
        this.analytics = analytics;
    }

    @GET
    @Path("/product-views")
    @Operation(operationId = "listProductViews", summary = "Views per product per window, newest window first, then most viewed")
    @APIResponse(responseCode = "200", description = "The rows, newest window first, then most viewed; [] when none matches")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public Uni<List<ProductViews>> productViews(
            @Parameter(ref = "from") @QueryParam("from") Instant from,
            @Parameter(ref = "to") @QueryParam("to") Instant to,
            @Parameter(description = "Only this product (exact, at most " + ApiDocument.MAX_KEY_LENGTH + " characters); default: every product",
                    schema = @Schema(type = SchemaType.STRING, maxLength = ApiDocument.MAX_KEY_LENGTH))
            @QueryParam("product_id") @PostgresStorableText(max = ApiDocument.MAX_KEY_LENGTH) String productId,
            @Parameter(ref = "limit") @QueryParam("limit") @DefaultValue("" + ApiDocument.DEFAULT_LIMIT)
            @Range(min = 1, max = ApiDocument.MAX_LIMIT, message = RANGE) int limit,
            @Parameter(ref = "final") @QueryParam("final") Boolean isFinal) {
        return analytics.productViews(new WindowFilter(from, to, productId, limit, isFinal));
    }

    @GET
    @Path("/category-activity")
    @Operation(operationId = "listCategoryActivity", summary = "Events of every type per category per window, newest window first, then busiest")
    @APIResponse(responseCode = "200", description = "The rows, newest window first, then busiest; [] when none matches")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public Uni<List<CategoryActivity>> categoryActivity(
            @Parameter(ref = "from") @QueryParam("from") Instant from, @Parameter(ref = "to") @QueryParam("to") Instant to,
            @Parameter(ref = "category") @QueryParam("category") @PostgresStorableText(max = ApiDocument.MAX_KEY_LENGTH) String category,
            @Parameter(ref = "limit") @QueryParam("limit") @DefaultValue("" + ApiDocument.DEFAULT_LIMIT)
            @Range(min = 1, max = ApiDocument.MAX_LIMIT, message = RANGE) int limit,
            @Parameter(ref = "final") @QueryParam("final") Boolean isFinal) {
        return analytics.categoryActivity(new WindowFilter(from, to, category, limit, isFinal));
    }

    @GET
    @Path("/category-revenue")
    @Operation(operationId = "listCategoryRevenue", summary = "Purchase revenue per category per window (exact decimal), newest window first, then largest")
    @APIResponse(responseCode = "200", description = "The rows, newest window first, then largest; [] when none matches")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public Uni<List<CategoryRevenue>> categoryRevenue(
            @Parameter(ref = "from") @QueryParam("from") Instant from, @Parameter(ref = "to") @QueryParam("to") Instant to,
            @Parameter(ref = "category") @QueryParam("category") @PostgresStorableText(max = ApiDocument.MAX_KEY_LENGTH) String category,
            @Parameter(ref = "limit") @QueryParam("limit") @DefaultValue("" + ApiDocument.DEFAULT_LIMIT)
            @Range(min = 1, max = ApiDocument.MAX_LIMIT, message = RANGE) int limit,
            @Parameter(ref = "final") @QueryParam("final") Boolean isFinal) {
        return analytics.categoryRevenue(new WindowFilter(from, to, category, limit, isFinal));
    }

    @GET
    @Path("/top-products")
    @Operation(operationId = "getTopProducts", summary = "The most viewed products of the latest window, or of the window starting at window_start")
    @APIResponse(responseCode = "200", description = "The window and its leaders, best first (window_end null and no products when the window has no data)")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public Uni<TopProducts> topProducts(
            @Parameter(ref = "n") @QueryParam("n") @DefaultValue(ApiDocument.DEFAULT_TOP)
            @Range(min = 1, max = ApiDocument.MAX_LIMIT, message = RANGE) int n,
            @Parameter(ref = "window_start") @QueryParam("window_start") Instant windowStart) {
        return analytics.topProducts(n, windowStart);
    }

    @GET
    @Path("/top-categories")
    @Operation(operationId = "getTopCategories", summary = "The leading categories of the latest window (or of window_start), by events or by revenue")
    @APIResponse(responseCode = "200", description = "The window and its leaders, best first (window_end null and no categories when the window has no data)")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public Uni<TopCategories> topCategories(
            @Parameter(ref = "n") @QueryParam("n") @DefaultValue(ApiDocument.DEFAULT_TOP)
            @Range(min = 1, max = ApiDocument.MAX_LIMIT, message = RANGE) int n,
            @Parameter(description = "What to rank by, in any case: the events of every type, or the purchase revenue; default events",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"events", "revenue"}, defaultValue = "events"))
            @QueryParam("by") String by,
            @Parameter(ref = "window_start") @QueryParam("window_start") Instant windowStart) {
        return analytics.topCategories(n, Ranking.parse(by), windowStart);
    }
}

package dev.shopstream.producer.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.shopstream.producer.metrics.WindowRows.CategoryActivity;
import dev.shopstream.producer.metrics.WindowRows.CategoryRevenue;
import dev.shopstream.producer.metrics.WindowRows.ProductViews;
import dev.shopstream.producer.metrics.WindowRows.RankedCategory;
import dev.shopstream.producer.metrics.WindowRows.RankedProduct;
import dev.shopstream.producer.metrics.WindowRows.TopCategories;
import dev.shopstream.producer.metrics.WindowRows.TopProducts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import static dev.shopstream.producer.metrics.AnalyticsRepository.instant;

/**
 * The read API's answers, from typed, already validated arguments: the rows of the window tables and each
 * window's leaders. Used by the /metrics resource and by the dashboard, which shows exactly these answers.
 */
@ApplicationScoped
public class MetricsService {

    private final AnalyticsRepository repository;

    public MetricsService(AnalyticsRepository repository) {
        this.repository = repository;
    }

    public Uni<List<ProductViews>> productViews(WindowFilter filter) {
        return repository.windows(WindowTable.PRODUCT_VIEWS, filter,
                row -> new ProductViews(instant(row, "window_start"), instant(row, "window_end"), row.getString("key"), row.getLong("value")));
    }

    public Uni<List<CategoryActivity>> categoryActivity(WindowFilter filter) {
        return repository.windows(WindowTable.CATEGORY_ACTIVITY, filter,
                row -> new CategoryActivity(instant(row, "window_start"), instant(row, "window_end"), row.getString("key"), row.getLong("value")));
    }

    public Uni<List<CategoryRevenue>> categoryRevenue(WindowFilter filter) {
        return repository.windows(WindowTable.CATEGORY_REVENUE, filter,
                row -> new CategoryRevenue(instant(row, "window_start"), instant(row, "window_end"), row.getString("key"), row.getBigDecimal("value")));
    }

    /** The {@code n} most viewed products of the window starting at {@code windowStart}, or of the latest one when null. */
    public Uni<TopProducts> topProducts(int n, Instant windowStart) {
        return repository.leaders(WindowTable.PRODUCT_VIEWS, windowStart, n, row -> row).map(rows -> {
            List<RankedProduct> ranked = new ArrayList<>();
            for (Row row : rows) {
                ranked.add(new RankedProduct(ranked.size() + 1, row.getString("key"), row.getLong("value")));
            }
            return rows.isEmpty() ? new TopProducts(windowStart, null, ranked)
                    : new TopProducts(instant(rows.get(0), "window_start"), instant(rows.get(0), "window_end"), ranked);
        });
    }

    /** The {@code n} leading categories of a window (the latest when {@code windowStart} is null), by events or revenue. */
    public Uni<TopCategories> topCategories(int n, Ranking by, Instant windowStart) {
        boolean byRevenue = by == Ranking.REVENUE;
        return repository.leaders(by.table, windowStart, n, row -> row).map(rows -> {
            List<RankedCategory> ranked = new ArrayList<>();
            for (Row row : rows) {
                int rank = ranked.size() + 1;
                ranked.add(byRevenue ? new RankedCategory(rank, row.getString("key"), null, row.getBigDecimal("value"))
                        : new RankedCategory(rank, row.getString("key"), row.getLong("value"), null));
            }
            return rows.isEmpty() ? new TopCategories(windowStart, null, by.wireName(), ranked)
                    : new TopCategories(instant(rows.get(0), "window_start"), instant(rows.get(0), "window_end"), by.wireName(), ranked);
        });
    }
}

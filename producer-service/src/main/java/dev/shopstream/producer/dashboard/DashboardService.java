package dev.shopstream.producer.dashboard;

import dev.shopstream.producer.web.ApiDocument;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import dev.shopstream.producer.audit.AuditService;
import dev.shopstream.producer.dashboard.DashboardSnapshot.CategorySeries;
import dev.shopstream.producer.dashboard.DashboardSnapshot.Window;
import dev.shopstream.producer.analytics.AnalyticsService;
import dev.shopstream.producer.pipeline.PipelineHealthService;
import dev.shopstream.producer.analytics.Ranking;
import dev.shopstream.producer.analytics.WindowFilter;
import dev.shopstream.producer.analytics.WindowRows.CategoryActivity;
import dev.shopstream.producer.analytics.WindowRows.CategoryRevenue;
import dev.shopstream.producer.analytics.WindowRows.TopCategories;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Assembles the dashboard's snapshot from the read API's own services (AnalyticsService, PipelineHealthService,
 * AuditService),
 * so the page shows exactly what /metrics answers, without SQL of its own. The queries run concurrently; a
 * database that is down fails the whole snapshot with the API's 503.
 */
@ApplicationScoped
public class DashboardService {

    /** The read API's largest page of window rows. */
    static final int MAX_ROWS = ApiDocument.MAX_LIMIT;

    private static final CategorySeriesBuilder<CategoryActivity, Long> EVENTS = new CategorySeriesBuilder<>(
            row -> new Window(row.windowStart(), row.windowEnd(), row.isFinal(), row.audit()),
            CategoryActivity::category, CategoryActivity::eventCount, 0L, Long::sum);
    private static final CategorySeriesBuilder<CategoryRevenue, BigDecimal> REVENUE = new CategorySeriesBuilder<>(
            row -> new Window(row.windowStart(), row.windowEnd(), row.isFinal(), row.audit()),
            CategoryRevenue::category, CategoryRevenue::totalRevenue, new BigDecimal("0.00"), BigDecimal::add);

    private final AnalyticsService analytics;
    private final PipelineHealthService pipeline;
    private final AuditService audit;

    public DashboardService(AnalyticsService analytics, PipelineHealthService pipeline, AuditService audit) {
        this.analytics = analytics;
        this.pipeline = pipeline;
        this.audit = audit;
    }

    public Uni<DashboardSnapshot> snapshot(int windows, int topProducts) {
        return Uni.combine().all()
                .unis(pipeline.health(), analytics.topProducts(topProducts, null),
                        lastWindows(Ranking.EVENTS, windows, from -> analytics.categoryActivity(WindowFilter.since(from, MAX_ROWS))
                                .map(rows -> EVENTS.build(rows, rows.size() == MAX_ROWS))),
                        lastWindows(Ranking.REVENUE, windows, from -> analytics.categoryRevenue(WindowFilter.since(from, MAX_ROWS))
                                .map(rows -> REVENUE.build(rows, rows.size() == MAX_ROWS))),
                        audit.summary())
                .with((health, top, events, revenue, audited) -> new DashboardSnapshot(windows, health, top, events, revenue, audited));
    }

    /**
     * The rows of the last {@code windows} windows of a category table: its latest window (the leaders' query)
     * tells where the time axis ends and how long a window is; the rows are then read from the first window on.
     */
    private <V> Uni<CategorySeries<V>> lastWindows(Ranking by, int windows, Function<Instant, Uni<CategorySeries<V>>> readFrom) {
        Uni<TopCategories> latest = analytics.topCategories(1, by, null);
        return latest.flatMap(window -> window.windowStart() == null
                ? Uni.createFrom().item(CategorySeries.<V>empty())
                : readFrom.apply(firstWindowStart(window.windowStart(), window.windowEnd(), windows)));
    }

    static Instant firstWindowStart(Instant latestStart, Instant latestEnd, int windows) {
        Duration length = Duration.between(latestStart, latestEnd);
        if (length.isNegative() || length.isZero()) {
            return latestStart;
        }
        return latestStart.minus(length.multipliedBy(windows - 1L));
    }
}

package dev.shopstream.producer.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.shopstream.producer.analytics.WindowRows.AuditVerdict;
import dev.shopstream.producer.analytics.WindowRows.CategoryActivity;
import dev.shopstream.producer.analytics.WindowRows.CategoryRevenue;
import dev.shopstream.producer.analytics.WindowRows.ProductViews;
import dev.shopstream.producer.analytics.WindowRows.RankedCategory;
import dev.shopstream.producer.analytics.WindowRows.RankedProduct;
import dev.shopstream.producer.analytics.WindowRows.TopCategories;
import dev.shopstream.producer.analytics.WindowRows.TopProducts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import static dev.shopstream.producer.analytics.AnalyticsRepository.instant;

/**
 * The read API's answers, from typed, already validated arguments: the rows of the window tables and each
 * window's leaders, each window with whether it is final and the audit's verdict on it. Used by the /metrics
 * resource and by the dashboard, which shows exactly these answers.
 */
@ApplicationScoped
public class AnalyticsService {

    private final AnalyticsRepository repository;

    public AnalyticsService(AnalyticsRepository repository) {
        this.repository = repository;
    }

    public Uni<List<ProductViews>> productViews(WindowFilter filter) {
        return repository.windows(WindowTable.PRODUCT_VIEWS, filter, row -> new ProductViews(instant(row, "window_start"),
                instant(row, "window_end"), row.getString("key"), row.getLong("value"), isFinal(row), audit(row, WindowTable.PRODUCT_VIEWS)));
    }

    public Uni<List<CategoryActivity>> categoryActivity(WindowFilter filter) {
        return repository.windows(WindowTable.CATEGORY_ACTIVITY, filter, row -> new CategoryActivity(instant(row, "window_start"),
                instant(row, "window_end"), row.getString("key"), row.getLong("value"), isFinal(row), audit(row, WindowTable.CATEGORY_ACTIVITY)));
    }

    public Uni<List<CategoryRevenue>> categoryRevenue(WindowFilter filter) {
        return repository.windows(WindowTable.CATEGORY_REVENUE, filter, row -> new CategoryRevenue(instant(row, "window_start"),
                instant(row, "window_end"), row.getString("key"), row.getBigDecimal("value"), isFinal(row), audit(row, WindowTable.CATEGORY_REVENUE)));
    }

    /** The {@code n} most viewed products of the window starting at {@code windowStart}, or of the latest one when null. */
    public Uni<TopProducts> topProducts(int n, Instant windowStart) {
        return repository.leaders(WindowTable.PRODUCT_VIEWS, windowStart, n, row -> row).map(rows -> {
            List<RankedProduct> ranked = new ArrayList<>();
            for (Row row : rows) {
                ranked.add(new RankedProduct(ranked.size() + 1, row.getString("key"), row.getLong("value")));
            }
            if (rows.isEmpty()) {
                return new TopProducts(windowStart, null, false, null, ranked);
            }
            Row first = rows.get(0);
            return new TopProducts(instant(first, "window_start"), instant(first, "window_end"), isFinal(first),
                    audit(first, WindowTable.PRODUCT_VIEWS), ranked);
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
            if (rows.isEmpty()) {
                return new TopCategories(windowStart, null, by.wireName(), false, null, ranked);
            }
            Row first = rows.get(0);
            return new TopCategories(instant(first, "window_start"), instant(first, "window_end"), by.wireName(), isFinal(first),
                    audit(first, by.table), ranked);
        });
    }

    private static boolean isFinal(Row row) {
        return row.getBoolean("is_final");
    }

    /**
     * The audit's verdict from the row's audit columns (AnalyticsRepository), null when the window was not audited. Off
     * as GET /metrics/audit judges it: an unexplained rest, or keys off (whose errors may cancel out in the sum).
     * audit_window keeps every table's figures as numeric(38, 2): views and events are whole numbers, revenue has two places.
     */
    private static AuditVerdict audit(Row row, WindowTable table) {
        Instant auditedAt = instant(row, "audit_audited_at");
        if (auditedAt == null) {
            return null;
        }
        BigDecimal unexplained = row.getBigDecimal("audit_unexplained");
        long mismatchedKeys = row.getLong("audit_mismatched_keys");
        String verdict = unexplained.signum() == 0 && mismatchedKeys == 0 ? AuditVerdict.EXACT : AuditVerdict.MISMATCH;
        return new AuditVerdict(verdict, unexplained.setScale(table == WindowTable.CATEGORY_REVENUE ? 2 : 0, RoundingMode.HALF_UP),
                mismatchedKeys, auditedAt);
    }
}

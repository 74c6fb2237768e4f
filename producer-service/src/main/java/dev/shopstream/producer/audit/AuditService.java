package dev.shopstream.producer.audit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.producer.audit.AuditReport.AuditMismatch;
import dev.shopstream.producer.audit.AuditReport.AuditSummary;
import dev.shopstream.producer.audit.AuditReport.AuditedWindow;
import dev.shopstream.producer.analytics.WindowFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;

import static dev.shopstream.producer.analytics.AnalyticsRepository.instant;

/** GET /metrics/audit's answer from the audit_window rows; the dashboard shows its summary. */
@ApplicationScoped
public class AuditService {

    private static final String VIEWS = AnalyticsSchema.PRODUCT_VIEW_WINDOW;
    private static final String EVENTS = AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW;
    private static final String REVENUE = AnalyticsSchema.CATEGORY_REVENUE_WINDOW;

    private final AuditRepository repository;

    public AuditService(AuditRepository repository) {
        this.repository = repository;
    }

    public Uni<AuditReport> report(WindowFilter filter) {
        return repository.windows(filter).map(AuditService::report);
    }

    /** The summary of every audited window (the newest one read with it, and not shown). */
    public Uni<AuditSummary> summary() {
        return report(new WindowFilter(null, null, null, 1)).map(AuditReport::summary);
    }

    private static AuditReport report(RowSet<Row> rows) {
        Row first = rows.iterator().next();
        AuditMismatch oldest = first.getString("first_table") == null ? null
                : mismatch(first, "first_window_start", "first_window_end", "first_table", "first_unexplained", "first_key");
        AuditSummary summary = new AuditSummary(first.getLong("windows_audited"), oldest == null, oldest, instant(first, "last_audited_at"));
        List<AuditedWindow> windows = new ArrayList<>();
        for (Row row : rows) {
            if (row.getOffsetDateTime("window_start") != null) {
                windows.add(window(row));
            }
        }
        return new AuditReport(summary, windows);
    }

    private static AuditedWindow window(Row row) {
        AuditMismatch mismatch = row.getString("mismatch_table") == null ? null
                : mismatch(row, "window_start", "window_end", "mismatch_table", "mismatch_unexplained", "mismatch_key");
        return new AuditedWindow(instant(row, "window_start"), instant(row, "window_end"), instant(row, "audited_at"), mismatch == null,
                row.getLong("late_events"),
                count(row, "late_" + VIEWS), count(row, "late_" + EVENTS), amount(row.getBigDecimal("late_" + REVENUE)),
                count(row, "unexplained_" + VIEWS), count(row, "unexplained_" + EVENTS), amount(row.getBigDecimal("unexplained_" + REVENUE)),
                row.getLong("mismatched_keys"), mismatch);
    }

    private static AuditMismatch mismatch(Row row, String start, String end, String table, String unexplained, String key) {
        String name = row.getString(table);
        BigDecimal difference = row.getBigDecimal(unexplained);
        return new AuditMismatch(instant(row, start), instant(row, end), name,
                name.equals(REVENUE) ? amount(difference) : difference.setScale(0, RoundingMode.HALF_UP), key(row.getString(key)));
    }

    /**
     * The key of the job's first_mismatch, which is written as "&lt;key&gt; &lt;its rest&gt;" (AuditComparison): all
     * before the last space, as a key may hold spaces ("home &amp; kitchen").
     */
    static String key(String firstMismatch) {
        if (firstMismatch == null) {
            return null;
        }
        int space = firstMismatch.lastIndexOf(' ');
        return space < 0 ? firstMismatch : firstMismatch.substring(0, space);
    }

    /**
     * Views and events are whole numbers; audit_window keeps every table's values as numeric(38, 2). A window's count
     * of events stays far inside a long: it is bounded by the records Kafka holds for one window.
     */
    private static long count(Row row, String column) {
        return row.getBigDecimal(column).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Revenue as the other revenue fields: exact, two decimal places. */
    private static BigDecimal amount(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP);
    }
}

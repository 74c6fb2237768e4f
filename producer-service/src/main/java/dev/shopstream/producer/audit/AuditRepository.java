package dev.shopstream.producer.audit;

import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.producer.analytics.AnalyticsRepository;
import dev.shopstream.producer.analytics.WindowFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SQL of GET /metrics/audit: audit_window's rows, one per window and table, folded into one row per window,
 * with the summary of every selected window on each row (one statement, so the page and the summary are read
 * at the same moment). Read through {@link AnalyticsRepository#read}: shared with identical reads in flight,
 * a 503 when the database is away.
 */
@ApplicationScoped
public class AuditRepository {

    /** The tables in the order a window's first mismatch is looked for (the job's order, DerivedTable's). */
    static final List<String> TABLES = List.of(AnalyticsSchema.PRODUCT_VIEW_WINDOW, AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW,
            AnalyticsSchema.CATEGORY_REVENUE_WINDOW);

    private final AnalyticsRepository reads;

    public AuditRepository(AnalyticsRepository reads) {
        this.reads = reads;
    }

    /**
     * The windows starting between the filter's from and to, newest first, at most its limit; each row also
     * carries windows_audited, last_audited_at and the oldest mismatch (first_*) of all selected windows. No
     * window: one row, its window columns null.
     */
    Uni<RowSet<Row>> windows(WindowFilter filter) {
        StringBuilder where = new StringBuilder(" WHERE table_name = ANY(" + tables() + ")");
        Tuple params = Tuple.tuple();
        if (filter.from() != null) {
            params.addOffsetDateTime(filter.from().atOffset(ZoneOffset.UTC));
            where.append(" AND window_start >= $").append(params.size());
        }
        if (filter.to() != null) {
            params.addOffsetDateTime(filter.to().atOffset(ZoneOffset.UTC));
            where.append(" AND window_start <= $").append(params.size());
        }
        params.addInteger(filter.limit());
        String limit = "$" + params.size();
        return reads.read("""
                WITH audited AS (
                    SELECT *, array_position(%1$s, table_name) AS position, (unexplained <> 0 OR mismatched_keys <> 0) AS off
                    FROM %2$s%3$s),
                windows AS (
                    SELECT window_start, max(window_end) AS window_end, max(audited_at) AS audited_at, max(late_events) AS late_events,
                           %4$s,
                           sum(mismatched_keys) AS mismatched_keys,
                           (array_agg(table_name ORDER BY position) FILTER (WHERE off))[1] AS mismatch_table,
                           (array_agg(unexplained ORDER BY position) FILTER (WHERE off))[1] AS mismatch_unexplained,
                           (array_agg(first_mismatch ORDER BY position) FILTER (WHERE off))[1] AS mismatch_key
                    FROM audited GROUP BY window_start),
                summary AS (SELECT count(*) AS windows_audited, max(audited_at) AS last_audited_at FROM windows),
                oldest_mismatch AS (
                    SELECT window_start, window_end, mismatch_table, mismatch_unexplained, mismatch_key FROM windows
                    WHERE mismatch_table IS NOT NULL ORDER BY window_start LIMIT 1),
                page AS (SELECT * FROM windows ORDER BY window_start DESC LIMIT %5$s)
                SELECT s.windows_audited, s.last_audited_at, m.window_start AS first_window_start, m.window_end AS first_window_end,
                       m.mismatch_table AS first_table, m.mismatch_unexplained AS first_unexplained, m.mismatch_key AS first_key, p.*
                FROM summary s LEFT JOIN oldest_mismatch m ON true LEFT JOIN page p ON true
                ORDER BY p.window_start DESC""".formatted(tables(), AnalyticsSchema.AUDIT_WINDOW, where, perTable(), limit), params);
    }

    /** Per table, its late value and its unexplained rest: late_&lt;table&gt;, unexplained_&lt;table&gt; (0 without a row). */
    private static String perTable() {
        return TABLES.stream().map(table -> "coalesce(sum(late_value) FILTER (WHERE table_name = '" + table + "'), 0) AS late_" + table
                        + ", coalesce(sum(unexplained) FILTER (WHERE table_name = '" + table + "'), 0) AS unexplained_" + table)
                .collect(Collectors.joining(",\n       "));
    }

    /** The tables as an SQL array: fixed names from the contract, never request values. */
    private static String tables() {
        return TABLES.stream().map(table -> "'" + table + "'").collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
    }
}

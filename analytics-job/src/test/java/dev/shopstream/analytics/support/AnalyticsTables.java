package dev.shopstream.analytics.support;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.PostgresDatabase;

/** What the job wrote, read back from PostgreSQL. */
public final class AnalyticsTables {

    /** Per query: the sums over its stream_progress rows, and the end offsets of its latest batch. */
    public record ProgressTotals(long batches, long inputRows, long lateRows, long rejectedRows, Map<Integer, Long> lastEndOffsets) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresDatabase db;

    public AnalyticsTables(PostgresDatabase db) {
        this.db = db;
    }

    public Map<WindowKey, Long> productViews() {
        return counts("SELECT window_start, window_end, product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW);
    }

    public Map<WindowKey, Long> categoryActivity() {
        return counts("SELECT window_start, window_end, category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW);
    }

    public Map<WindowKey, BigDecimal> categoryRevenue() {
        Map<WindowKey, BigDecimal> rows = new TreeMap<>();
        query("SELECT window_start, window_end, category, total_revenue FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW,
                rs -> rows.put(key(rs), rs.getBigDecimal(4)));
        return rows;
    }

    public Set<RejectedRow> rejected() {
        Set<RejectedRow> rows = new HashSet<>();
        query("SELECT source_topic, source_partition, source_offset, raw_payload, reason FROM " + AnalyticsSchema.REJECTED_EVENTS,
                rs -> rows.add(new RejectedRow(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5))));
        return rows;
    }

    public Map<String, ProgressTotals> progress() {
        Map<String, ProgressTotals> totals = new TreeMap<>();
        query("SELECT p.query_name, count(*), sum(input_rows), sum(late_rows_dropped), sum(rejected_rows), "
                + "(SELECT end_offsets FROM " + AnalyticsSchema.STREAM_PROGRESS + " l WHERE l.query_name = p.query_name ORDER BY batch_id DESC LIMIT 1) "
                + "FROM " + AnalyticsSchema.STREAM_PROGRESS + " p GROUP BY p.query_name",
                rs -> totals.put(rs.getString(1), new ProgressTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), offsets(rs.getString(6)))));
        return totals;
    }

    /** The three tables and the newest batch's end offsets, as one REPEATABLE READ transaction saw them. */
    public record Snapshot(String endOffsets, Map<WindowKey, Long> productViews, Map<WindowKey, Long> categoryActivity,
                           Map<WindowKey, BigDecimal> categoryRevenue) {
    }

    /** Reads {@link Snapshot} in one transaction: what any reader of the database sees at one moment. */
    public Snapshot consistentSnapshot(String queryName) {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            String[] offsets = new String[1];
            try (java.sql.PreparedStatement statement = connection.prepareStatement(
                    "SELECT end_offsets FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = ? ORDER BY batch_id DESC LIMIT 1")) {
                statement.setString(1, queryName);
                try (ResultSet rs = statement.executeQuery()) {
                    offsets[0] = rs.next() ? rs.getString(1) : null;
                }
            }
            Map<WindowKey, Long> views = new TreeMap<>();
            Map<WindowKey, Long> activity = new TreeMap<>();
            Map<WindowKey, BigDecimal> revenue = new TreeMap<>();
            query(connection, "SELECT window_start, window_end, product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW, rs -> views.put(key(rs), rs.getLong(4)));
            query(connection, "SELECT window_start, window_end, category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, rs -> activity.put(key(rs), rs.getLong(4)));
            query(connection, "SELECT window_start, window_end, category, total_revenue FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW, rs -> revenue.put(key(rs), rs.getBigDecimal(4)));
            connection.commit();
            return new Snapshot(offsets[0], views, activity, revenue);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every row of the three tables and of window_totals and rejected_events, as text: to compare states. */
    public String dumpAll() {
        StringBuilder dump = new StringBuilder();
        for (String sql : java.util.List.of("SELECT * FROM " + AnalyticsSchema.WINDOW_TOTALS + " ORDER BY 1, 3, 4",
                "SELECT * FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW + " ORDER BY 1, 3", "SELECT * FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + " ORDER BY 1, 3",
                "SELECT * FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW + " ORDER BY 1, 3", "SELECT * FROM " + AnalyticsSchema.REJECTED_EVENTS + " ORDER BY 1, 2, 3")) {
            query(sql, rs -> {
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    dump.append(rs.getString(c)).append('|');
                }
                dump.append('\n');
            });
        }
        return dump.toString();
    }

    /** Query name -> batch id -> batch time, of every stream_progress row. */
    public Map<String, Map<Long, Instant>> batchTimes() {
        Map<String, Map<Long, Instant>> times = new TreeMap<>();
        query("SELECT query_name, batch_id, batch_time FROM " + AnalyticsSchema.STREAM_PROGRESS, rs -> times
                .computeIfAbsent(rs.getString(1), q -> new TreeMap<>()).put(rs.getLong(2), instant(rs, 3)));
        return times;
    }

    /** {"user_events":{"0":12,"1":7}} -> {0=12, 1=7}. */
    public static Map<Integer, Long> offsets(String json) {
        Map<Integer, Long> offsets = new TreeMap<>();
        if (json == null) {
            return offsets;
        }
        try {
            if (!JSON.readTree(json).isObject()) {
                return offsets; // another source's offset (a MemoryStream's is a number)
            }
            Map<String, Map<String, Long>> byTopic = JSON.readValue(json, new TypeReference<>() { });
            byTopic.values().forEach(partitions -> partitions.forEach((p, o) -> offsets.put(Integer.valueOf(p), o)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Unreadable end offsets: " + json, e);
        }
        return offsets;
    }

    private Map<WindowKey, Long> counts(String sql) {
        Map<WindowKey, Long> rows = new TreeMap<>();
        query(sql, rs -> rows.put(key(rs), rs.getLong(4)));
        return rows;
    }

    private static WindowKey key(ResultSet rs) throws SQLException {
        return new WindowKey(instant(rs, 1), instant(rs, 2), rs.getString(3));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowReader reader) {
        try (Connection connection = db.connect()) {
            query(connection, sql, reader);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void query(Connection connection, String sql, RowReader reader) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new SQLException(sql + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }
}

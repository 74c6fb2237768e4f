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

import dev.shopstream.stack.PostgresDatabase;

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
        return counts("SELECT window_start, window_end, product_id, view_count FROM product_view_window");
    }

    public Map<WindowKey, Long> categoryActivity() {
        return counts("SELECT window_start, window_end, category, event_count FROM category_activity_window");
    }

    public Map<WindowKey, BigDecimal> categoryRevenue() {
        Map<WindowKey, BigDecimal> rows = new TreeMap<>();
        query("SELECT window_start, window_end, category, total_revenue FROM category_revenue_window",
                rs -> rows.put(key(rs), rs.getBigDecimal(4)));
        return rows;
    }

    public Set<RejectedRow> rejected() {
        Set<RejectedRow> rows = new HashSet<>();
        query("SELECT source_topic, source_partition, source_offset, raw_payload, reason FROM rejected_events",
                rs -> rows.add(new RejectedRow(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5))));
        return rows;
    }

    public Map<String, ProgressTotals> progress() {
        Map<String, ProgressTotals> totals = new TreeMap<>();
        query("SELECT p.query_name, count(*), sum(input_rows), sum(late_rows_dropped), sum(rejected_rows), "
                + "(SELECT end_offsets FROM stream_progress l WHERE l.query_name = p.query_name ORDER BY batch_id DESC LIMIT 1) "
                + "FROM stream_progress p GROUP BY p.query_name",
                rs -> totals.put(rs.getString(1), new ProgressTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), offsets(rs.getString(6)))));
        return totals;
    }

    /** Query name -> batch id -> batch time, of every stream_progress row. */
    public Map<String, Map<Long, Instant>> batchTimes() {
        Map<String, Map<Long, Instant>> times = new TreeMap<>();
        query("SELECT query_name, batch_id, batch_time FROM stream_progress", rs -> times
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
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}

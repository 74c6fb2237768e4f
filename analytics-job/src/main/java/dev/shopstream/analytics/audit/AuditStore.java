package dev.shopstream.analytics.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.Row;

import dev.shopstream.analytics.audit.WindowAudit.BatchValues;
import dev.shopstream.analytics.sink.AnalyticsWriter;
import dev.shopstream.analytics.sink.DerivedTable;
import dev.shopstream.analytics.sink.JdbcTarget;

/**
 * The audit's side of PostgreSQL, in one transaction per audit: the late records found (kept, with when they
 * were folded), the fold (closed windows rewritten from the batch recompute), the tables' values, and one
 * audit_window row per window and table.
 */
final class AuditStore {

    static final String INSERT_LATE = "INSERT INTO late_events (source_topic, source_partition, source_offset, event_id, "
            + "event_type, product_id, category, price, event_time, missed_watermark, batch_id, window_start, window_end, "
            + "already_counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING";
    static final String UPSERT_RESULT = "INSERT INTO audit_window (window_start, window_end, table_name, stream_value, "
            + "batch_value, late_value, late_events, unexplained, mismatched_keys, first_mismatch, audited_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (window_start, table_name) DO UPDATE SET "
            + "window_end = EXCLUDED.window_end, stream_value = EXCLUDED.stream_value, batch_value = EXCLUDED.batch_value, "
            + "late_value = EXCLUDED.late_value, late_events = EXCLUDED.late_events, unexplained = EXCLUDED.unexplained, "
            + "mismatched_keys = EXCLUDED.mismatched_keys, first_mismatch = EXCLUDED.first_mismatch, audited_at = now()";
    static final String UNFOLDED_WINDOWS = "SELECT DISTINCT window_start FROM late_events WHERE folded_at IS NULL "
            + "AND NOT already_counted AND window_start > ? AND window_end <= ?";
    static final String MARK_FOLDED = "UPDATE late_events SET folded_at = now() WHERE folded_at IS NULL AND window_start = ANY(?::timestamptz[])";
    static final String FOLDED = "SELECT source_topic, source_partition, source_offset FROM late_events "
            + "WHERE folded_at IS NOT NULL AND window_start > ? AND window_end <= ?";

    private final JdbcTarget target;

    AuditStore(JdbcTarget target) {
        this.target = target;
    }

    Connection connect() throws SQLException {
        return target.connect();
    }

    AuditReport record(BatchValues batch, List<LateRecord> late, Instant closedUntil, Instant auditedAfter, boolean fold)
            throws SQLException {
        try (Connection connection = target.connect()) {
            connection.setAutoCommit(false);
            try {
                insertLate(connection, late);
                long folded = fold ? fold(connection, batch.windowTotals(), closedUntil, auditedAfter) : 0;
                Set<String> foldedPositions = foldedPositions(connection, closedUntil, auditedAfter);
                List<LateRecord> missing = late.stream()
                        .filter(r -> !foldedPositions.contains(position(r.topic(), r.partition(), r.offset()))).toList();
                AuditComparison comparison = new AuditComparison();
                for (DerivedTable table : DerivedTable.values()) {
                    comparison.addStream(table, streamRows(connection, table, closedUntil, auditedAfter));
                    comparison.addBatch(table, rowsOf(batch, table));
                }
                comparison.addLate(missing);
                List<WindowResult> results = comparison.results();
                upsertResults(connection, results);
                connection.commit();
                return new AuditReport(closedUntil, results, late.size(), folded);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static List<Row> rowsOf(BatchValues batch, DerivedTable table) {
        return switch (table) {
            case PRODUCT_VIEWS -> batch.productViews();
            case CATEGORY_ACTIVITY -> batch.categoryActivity();
            case CATEGORY_REVENUE -> batch.categoryRevenue();
        };
    }

    /** Rewrites the windows holding late events not folded yet from the batch totals; returns how many. */
    private static long fold(Connection connection, List<Row> totals, Instant closedUntil, Instant auditedAfter) throws SQLException {
        Set<Instant> windows = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement(UNFOLDED_WINDOWS)) {
            statement.setObject(1, utc(auditedAfter));
            statement.setObject(2, utc(closedUntil));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    windows.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        if (windows.isEmpty()) {
            return 0;
        }
        List<Row> rewrite = totals.stream().filter(row -> windows.contains(instant(row.get(0)))).toList();
        AnalyticsWriter.writeTotals(connection, rewrite);
        try (PreparedStatement statement = connection.prepareStatement(MARK_FOLDED)) {
            Array starts = connection.createArrayOf("text", windows.stream().map(Instant::toString).toArray());
            statement.setArray(1, starts);
            statement.executeUpdate();
        }
        return windows.size();
    }

    private static Set<String> foldedPositions(Connection connection, Instant closedUntil, Instant auditedAfter) throws SQLException {
        Set<String> positions = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(FOLDED)) {
            statement.setObject(1, utc(auditedAfter));
            statement.setObject(2, utc(closedUntil));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.add(position(rs.getString(1), rs.getInt(2), rs.getLong(3)));
                }
            }
        }
        return positions;
    }

    private static String position(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** The table's rows of the audited windows: window_start, window_end, key, value. */
    private static List<Object[]> streamRows(Connection connection, DerivedTable table, Instant closedUntil, Instant auditedAfter)
            throws SQLException {
        String sql = "SELECT window_start, window_end, " + table.keyColumn() + ", " + table.valueColumn() + " FROM "
                + table.table() + " WHERE window_start > ? AND window_end <= ?";
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, utc(auditedAfter));
            statement.setObject(2, utc(closedUntil));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getBigDecimal(4)});
                }
            }
        }
        return rows;
    }

    private static void insertLate(Connection connection, List<LateRecord> late) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_LATE)) {
            for (LateRecord r : late) {
                statement.setString(1, r.topic());
                statement.setInt(2, r.partition());
                statement.setLong(3, r.offset());
                statement.setString(4, r.eventId());
                statement.setString(5, r.eventType());
                statement.setString(6, r.productId());
                statement.setString(7, r.category());
                statement.setBigDecimal(8, r.price());
                statement.setObject(9, utc(r.eventTime()));
                statement.setObject(10, utc(r.missedWatermark()));
                statement.setLong(11, r.batchId());
                statement.setObject(12, utc(r.windowStart()));
                statement.setObject(13, utc(r.windowEnd()));
                statement.setBoolean(14, r.alreadyCounted());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void upsertResults(Connection connection, List<WindowResult> results) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_RESULT)) {
            for (WindowResult r : results) {
                statement.setObject(1, utc(r.windowStart()));
                statement.setObject(2, utc(r.windowEnd()));
                statement.setString(3, r.table());
                statement.setBigDecimal(4, r.stream());
                statement.setBigDecimal(5, r.batch());
                statement.setBigDecimal(6, r.late());
                statement.setLong(7, r.lateEvents());
                statement.setBigDecimal(8, r.unexplained());
                statement.setInt(9, r.mismatchedKeys());
                statement.setString(10, r.firstMismatch());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static Instant instant(Object value) {
        return value instanceof Instant i ? i : ((Timestamp) value).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

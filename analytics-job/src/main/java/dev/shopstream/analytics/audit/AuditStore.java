package dev.shopstream.analytics.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.apache.spark.sql.Row;

import dev.shopstream.analytics.sink.AnalyticsWriter;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.AnalyticsSchema.ResultTable;

/**
 * The audit's side of PostgreSQL. Before a run: where the previous runs left off (the cursor, the watermark that
 * closed their windows) and the earliest window still to check. A run, in one transaction: the late records found
 * (kept, with when they were folded), the fold (closed windows rewritten from the recompute), the tables' values,
 * one audit_window row per checked window and table, and the run's audit_run row.
 */
final class AuditStore {

    static final String INSERT_LATE = "INSERT INTO " + AnalyticsSchema.LATE_EVENTS + " (source_topic, source_partition, source_offset, event_id, "
            + "event_type, product_id, category, price, event_time, missed_watermark, batch_id, window_start, window_end, "
            + "already_counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING";
    static final String UPSERT_RESULT = "INSERT INTO " + AnalyticsSchema.AUDIT_WINDOW + " (window_start, window_end, table_name, stream_value, "
            + "batch_value, late_value, late_events, unexplained, mismatched_keys, first_mismatch, audited_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (window_start, table_name) DO UPDATE SET "
            + "window_end = EXCLUDED.window_end, stream_value = EXCLUDED.stream_value, batch_value = EXCLUDED.batch_value, "
            + "late_value = EXCLUDED.late_value, late_events = EXCLUDED.late_events, unexplained = EXCLUDED.unexplained, "
            + "mismatched_keys = EXCLUDED.mismatched_keys, first_mismatch = EXCLUDED.first_mismatch, audited_at = now()";
    static final String INSERT_RUN = "INSERT INTO " + AnalyticsSchema.AUDIT_RUN + " (started_at, duration_ms, first_batch, last_batch, "
            + "batches_read, records_read, windows_checked, mismatches, late_records, windows_folded, closed_until) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String PREVIOUS_RUNS = "SELECT max(last_batch), max(closed_until) FROM " + AnalyticsSchema.AUDIT_RUN;
    /** A window is exact when every table's row of it is. */
    static final String EXACT_WINDOWS = "SELECT window_start FROM " + AnalyticsSchema.AUDIT_WINDOW + " WHERE window_start > ? "
            + "GROUP BY window_start HAVING bool_and(mismatched_keys = 0)";
    static final String EARLIEST_MISMATCH = "SELECT min(window_start) FROM " + AnalyticsSchema.AUDIT_WINDOW
            + " WHERE mismatched_keys <> 0 AND window_start > ? AND window_end <= ?";
    /** A closed window in the tables without a verdict (e.g. its verdict was deleted, or rows appeared after it closed). */
    static final String EARLIEST_WITHOUT_VERDICT = "SELECT min(c.window_start) FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW + " c "
            + "WHERE c.window_start > ? AND c.window_end <= ? AND NOT EXISTS (SELECT 1 FROM " + AnalyticsSchema.AUDIT_WINDOW
            + " a WHERE a.window_start = c.window_start)";
    static final String UNFOLDED_WINDOWS = "SELECT DISTINCT window_start FROM " + AnalyticsSchema.LATE_EVENTS + " WHERE folded_at IS NULL "
            + "AND NOT already_counted AND window_start > ? AND window_end <= ?";
    static final String MARK_FOLDED = "UPDATE " + AnalyticsSchema.LATE_EVENTS + " SET folded_at = now() WHERE folded_at IS NULL "
            + "AND window_start = ANY(?::timestamptz[])";
    static final String FOLDED = "SELECT source_topic, source_partition, source_offset FROM " + AnalyticsSchema.LATE_EVENTS
            + " WHERE folded_at IS NOT NULL AND window_start > ? AND window_end <= ?";

    /** Where the previous runs left off: the newest batch read (null: none) and the watermark that closed their windows. */
    record Previous(Long cursor, Instant closedUntil) {
    }

    /**
     * One run's frame: windows ending at or before {@code closedUntil} and starting after {@code checkableAfter}
     * (all their on-time records were read) can be checked.
     */
    record Frame(Instant closedUntil, Instant checkableAfter, Duration window) {
        boolean holds(Instant windowStart) {
            return windowStart.isAfter(checkableAfter) && !windowStart.plus(window).isAfter(closedUntil);
        }
    }

    private final JdbcTarget target;

    AuditStore(JdbcTarget target) {
        this.target = target;
    }

    Connection connect() throws SQLException {
        return target.connect();
    }

    Previous previous(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PREVIOUS_RUNS); ResultSet rs = statement.executeQuery()) {
            rs.next();
            long cursor = rs.getLong(1);
            Long last = rs.wasNull() ? null : cursor;
            Timestamp closed = rs.getTimestamp(2);
            return new Previous(last, closed == null ? null : closed.toInstant());
        }
    }

    /**
     * The earliest window a run must check besides the ones that closed since the previous run: one found not
     * exact, one in the tables without a verdict, and with {@code fold} one holding late events not folded in; null
     * when there is none. Only windows after {@code retainedAfter} (Kafka holds all their records) and closed.
     */
    Instant earliestUnsettled(Connection connection, Instant retainedAfter, Instant closedUntil, boolean fold) throws SQLException {
        Instant earliest = null;
        List<String> queries = new ArrayList<>(List.of(EARLIEST_MISMATCH, EARLIEST_WITHOUT_VERDICT));
        if (fold) {
            queries.add("SELECT min(window_start) FROM (" + UNFOLDED_WINDOWS + ") u");
        }
        for (String sql : queries) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(retainedAfter));
                statement.setObject(2, utc(closedUntil));
                try (ResultSet rs = statement.executeQuery()) {
                    Timestamp found = rs.next() ? rs.getTimestamp(1) : null;
                    if (found != null && (earliest == null || found.toInstant().isBefore(earliest))) {
                        earliest = found.toInstant();
                    }
                }
            }
        }
        return earliest;
    }

    /** A run that found nothing to read. */
    AuditReport recordNothingRead(Instant started, Instant closedUntil) throws SQLException {
        AuditReport report = AuditReport.nothingRead(closedUntil);
        try (Connection connection = target.connect()) {
            insertRun(connection, started, report);
        }
        return report;
    }

    /**
     * Records the run: the late records found, the fold, and the verdict on every window the frame holds that is
     * not exact yet (with {@code fold}, also the exact ones holding late events not folded in).
     */
    AuditReport record(OracleRecompute recompute, Frame frame, boolean fold, Instant started, long firstBatch, long lastBatch)
            throws SQLException {
        try (Connection connection = target.connect()) {
            connection.setAutoCommit(false);
            try {
                insertLate(connection, recompute.late());
                Set<Instant> exact = windows(connection, EXACT_WINDOWS, frame.checkableAfter(), null);
                Set<Instant> unfolded = fold ? windows(connection, UNFOLDED_WINDOWS, frame.checkableAfter(), frame.closedUntil()) : Set.of();
                Predicate<Instant> checked = start -> frame.holds(start) && (!exact.contains(start) || unfolded.contains(start));
                Set<Instant> folding = new TreeSet<>(unfolded.stream().filter(checked).toList());
                long folded = fold ? fold(connection, recompute, folding) : 0;
                Set<String> foldedPositions = foldedPositions(connection, frame);
                AuditComparison comparison = new AuditComparison();
                for (ResultTable table : ResultTable.values()) {
                    comparison.addStream(table, streamRows(connection, table, frame));
                }
                comparison.addOnTime(recompute.oracle());
                comparison.addLate(recompute.late(), foldedPositions);
                List<WindowResult> results = comparison.results(checked);
                upsertResults(connection, results);
                AuditReport report = new AuditReport(frame.closedUntil(), results, recompute.late().size(), folded,
                        firstBatch, lastBatch, recompute.records());
                insertRun(connection, started, report);
                connection.commit();
                return report;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Rewrites the given windows from the recompute, as the stream writes them (window_totals and the three tables,
     * through the sink's own writer: a fold must leave the tables as the stream would have), and marks their late
     * events folded; returns how many.
     */
    private static long fold(Connection connection, OracleRecompute recompute, Set<Instant> windows) throws SQLException {
        if (windows.isEmpty()) {
            return 0;
        }
        List<Row> rewrite = recompute.totalsOf(windows);
        AnalyticsWriter.overwriteTotals(connection, rewrite);
        try (PreparedStatement statement = connection.prepareStatement(MARK_FOLDED)) {
            Array starts = connection.createArrayOf("text", windows.stream().map(Instant::toString).toArray());
            statement.setArray(1, starts);
            statement.executeUpdate();
        }
        return windows.size();
    }

    private static Set<Instant> windows(Connection connection, String sql, Instant after, Instant closedUntil) throws SQLException {
        Set<Instant> windows = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, utc(after));
            if (closedUntil != null) {
                statement.setObject(2, utc(closedUntil));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    windows.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return windows;
    }

    private static Set<String> foldedPositions(Connection connection, Frame frame) throws SQLException {
        Set<String> positions = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(FOLDED)) {
            statement.setObject(1, utc(frame.checkableAfter()));
            statement.setObject(2, utc(frame.closedUntil()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.add(position(rs.getString(1), rs.getInt(2), rs.getLong(3)));
                }
            }
        }
        return positions;
    }

    static String position(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** The table's rows of the frame's windows: window_start, window_end, key, value. */
    private static List<Object[]> streamRows(Connection connection, ResultTable table, Frame frame) throws SQLException {
        String sql = "SELECT window_start, window_end, " + table.keyColumn() + ", " + table.valueColumn() + " FROM "
                + table.table() + " WHERE window_start > ? AND window_end <= ?";
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, utc(frame.checkableAfter()));
            statement.setObject(2, utc(frame.closedUntil()));
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

    private static void insertRun(Connection connection, Instant started, AuditReport report) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_RUN)) {
            statement.setObject(1, utc(started));
            statement.setLong(2, Duration.between(started, Instant.now()).toMillis());
            setLong(statement, 3, report.firstBatch());
            setLong(statement, 4, report.lastBatch());
            statement.setLong(5, report.batchesRead());
            statement.setLong(6, report.recordsRead());
            statement.setLong(7, report.windowsAudited());
            statement.setLong(8, report.windowsMismatched());
            statement.setLong(9, report.lateRecords());
            statement.setLong(10, report.windowsFolded());
            if (report.closedUntil() == null) {
                statement.setNull(11, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(11, utc(report.closedUntil()));
            }
            statement.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

package dev.shopstream.analytics.sink;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;

import dev.shopstream.analytics.checkpoint.BatchPosition;
import dev.shopstream.analytics.events.RejectedRecord;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * Writes a micro-batch into PostgreSQL in ONE transaction: the changed window totals, the three tables
 * recomputed from them for the keys they touch, the rejected records, and the batch's stream_progress row
 * with its offsets and watermark. A reader sees all of a batch or none of it, in every table at once; and
 * since every statement overwrites with values derived from the batch's full running totals (rejects keep
 * their first write), Spark replaying a batch after a crash changes nothing. That, plus Spark's checkpointed
 * offsets and state, is what makes the tables exactly-once.
 *
 * <p>Brief database outages (connection loss, restart, serialization failure) are retried with the same
 * rows; anything else fails the query, and the job exits so that its supervisor restarts it from the
 * checkpoint.
 */
public final class AnalyticsWriter {

    private static final Logger LOG = LogManager.getLogger(AnalyticsWriter.class);
    private static final int ROWS_PER_ROUND_TRIP = 1000;
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    static final String UPSERT_TOTALS = "INSERT INTO " + AnalyticsSchema.WINDOW_TOTALS + " (window_start, window_end, product_id, category, "
            + "view_count, event_count, purchase_count, total_revenue, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (window_start, product_id, category) DO UPDATE SET window_end = EXCLUDED.window_end, "
            + "view_count = EXCLUDED.view_count, event_count = EXCLUDED.event_count, purchase_count = EXCLUDED.purchase_count, "
            + "total_revenue = EXCLUDED.total_revenue, updated_at = now()";
    static final String INSERT_REJECTED = "INSERT INTO " + AnalyticsSchema.REJECTED_EVENTS + " (source_topic, source_partition, source_offset, raw_payload, reason) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING";
    /** The listener's figures (rows, duration, late rows, lag) are not known yet, and a replay keeps them. */
    static final String UPSERT_PROGRESS = "INSERT INTO " + AnalyticsSchema.STREAM_PROGRESS + " (query_name, batch_id, batch_time, start_offsets, end_offsets, "
            + "watermark, rejected_rows, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (query_name, batch_id) DO UPDATE SET batch_time = EXCLUDED.batch_time, start_offsets = EXCLUDED.start_offsets, "
            + "end_offsets = EXCLUDED.end_offsets, watermark = EXCLUDED.watermark, rejected_rows = EXCLUDED.rejected_rows, "
            + "committed_at = EXCLUDED.committed_at";

    private final JdbcTarget target;
    private final String queryName;

    public AnalyticsWriter(JdbcTarget target, String queryName) {
        this.target = target;
        this.queryName = queryName;
    }

    /** Writes the batch in one transaction, retrying transient failures; an empty batch without position connects to nothing. */
    public void write(AnalyticsBatch batch) throws SQLException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                writeOnce(batch);
                return;
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !isTransient(e)) {
                    throw new SQLException("Writing batch " + batch.batchId() + " failed: " + e.getMessage(), e.getSQLState(), e);
                }
                LOG.warn("Writing batch {} failed ({}: {}); retry {} of {} in {} ms", batch.batchId(), e.getSQLState(),
                        e.getMessage(), attempt, MAX_ATTEMPTS - 1, backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private void writeOnce(AnalyticsBatch batch) throws SQLException {
        try (Connection connection = target.connect()) {
            connection.setAutoCommit(false);
            try {
                writeTotals(connection, batch.windowTotals());
                insertRejected(connection, batch.rejected());
                if (batch.position() != null) {
                    upsertProgress(connection, batch.position(), batch.rejected().size());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * Overwrites these window_totals rows and recomputes the three tables for the (window, key) pairs they touch,
     * in the caller's transaction. The batch sink's write, and the audit's fold of late events (which rewrites
     * closed windows from the batch recompute).
     */
    public static void writeTotals(Connection connection, List<Row> totals) throws SQLException {
        if (totals.isEmpty()) {
            return;
        }
        upsertTotals(connection, totals);
        for (DerivedTable table : DerivedTable.values()) {
            recompute(connection, table, totals);
        }
    }

    /** Rows: window_start, window_end, product_id, category, view_count, event_count, purchase_count, total_revenue. */
    private static void upsertTotals(Connection connection, List<Row> rows) throws SQLException {
        executeBatched(connection, UPSERT_TOTALS, rows, (statement, row) -> {
            statement.setObject(1, utc(row.get(0)));
            statement.setObject(2, utc(row.get(1)));
            statement.setString(3, row.getString(2));
            statement.setString(4, row.getString(3));
            statement.setLong(5, row.getLong(4));
            statement.setLong(6, row.getLong(5));
            statement.setLong(7, row.getLong(6));
            statement.setBigDecimal(8, (BigDecimal) row.get(7));
        });
    }

    private interface Binder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    /** One statement per item, sent a few hundred at a time (reWriteBatchedInserts makes them multi-row INSERTs). */
    private static <T> void executeBatched(Connection connection, String sql, List<T> items, Binder<T> binder) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int pending = 0;
            for (T item : items) {
                binder.bind(statement, item);
                statement.addBatch();
                if (++pending == ROWS_PER_ROUND_TRIP) {
                    statement.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        }
    }

    private static void recompute(Connection connection, DerivedTable table, List<Row> totals) throws SQLException {
        int keyIndex = table.keyColumn.equals("product_id") ? 2 : 3;
        // Distinct pairs: a pair listed twice would still be summed once (IN), but the arrays stay small.
        Set<List<Object>> pairs = new LinkedHashSet<>();
        for (Row row : totals) {
            pairs.add(List.of(utc(row.get(0)).toInstant().toString(), row.getString(keyIndex)));
        }
        String[] starts = new String[pairs.size()];
        String[] keys = new String[pairs.size()];
        int i = 0;
        for (List<Object> pair : pairs) {
            starts[i] = (String) pair.get(0);
            keys[i++] = (String) pair.get(1);
        }
        try (PreparedStatement statement = connection.prepareStatement(table.recomputeSql())) {
            Array startArray = connection.createArrayOf("text", starts);
            Array keyArray = connection.createArrayOf("text", keys);
            statement.setArray(1, startArray);
            statement.setArray(2, keyArray);
            statement.executeUpdate();
        }
    }

    private static void insertRejected(Connection connection, List<RejectedRecord> rejected) throws SQLException {
        executeBatched(connection, INSERT_REJECTED, rejected, (statement, record) -> {
            statement.setString(1, record.topic());
            statement.setInt(2, record.partition());
            statement.setLong(3, record.offset());
            statement.setString(4, storable(record.rawPayload()));
            statement.setString(5, record.reason());
        });
    }

    private void upsertProgress(Connection connection, BatchPosition position, int rejected) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_PROGRESS)) {
            statement.setString(1, queryName);
            statement.setLong(2, position.batchId());
            statement.setObject(3, position.batchTime().atOffset(ZoneOffset.UTC));
            statement.setString(4, position.startOffsets());
            statement.setString(5, position.endOffsets());
            statement.setObject(6, position.watermark() == null ? null : position.watermark().atOffset(ZoneOffset.UTC));
            statement.setLong(7, rejected);
            statement.executeUpdate();
        }
    }

    /**
     * Worth another try: the connection went (08), the transaction lost a race (40: serialization failure,
     * deadlock), the server is short of resources (53) or shutting down/starting (57P).
     */
    public static boolean isTransient(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Spark gives java.sql.Timestamp, or Instant with spark.sql.datetime.java8API.enabled; both are absolute. */
    private static OffsetDateTime utc(Object value) {
        Instant instant = value instanceof Instant i ? i : ((Timestamp) value).toInstant();
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** PostgreSQL text cannot hold NUL; the payload is kept for people to read, so a replacement mark will do. */
    static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }
}

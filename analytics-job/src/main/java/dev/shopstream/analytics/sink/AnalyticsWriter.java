package dev.shopstream.analytics.sink;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;

import dev.shopstream.analytics.checkpoint.BatchPosition;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * Writes a micro-batch into PostgreSQL in ONE transaction: the batch's sums added to the window totals, the three
 * tables recomputed from those for the keys they touch, and the batch's stream_progress row with its offsets,
 * watermark, counts and the lineage of its checkpoint. A reader sees all of a batch or none of it, in every table
 * at once.
 *
 * <p>Exactly-once: a batch adds its sums only to rows of its own lineage (its checkpoint, {@code CheckpointManifest})
 * and replaces any other row, so a new checkpoint recomputes what it reads and never adds to the old counts. A batch
 * whose progress row of the same lineage is already there was written before: Spark replays it after a crash (the
 * job died after this transaction, before Spark recorded the batch as done), and it is skipped whole. That, plus
 * Spark's checkpointed offsets and state, is what makes the tables exactly-once.
 *
 * <p>Brief database outages (connection loss, restart, serialization failure) are retried with the same rows
 * ({@link DatabaseRetry}). A batch the database refuses for what it holds (a value a column or a constraint
 * refuses) would be refused again on every replay, so it is written again one row at a time in a new
 * transaction: each row the database refuses goes to {@code quarantined_rows} with its batch, key and error,
 * and the rest commits with the batch's progress row. The stream goes on instead of failing the same batch
 * forever.
 */
public final class AnalyticsWriter {

    private static final Logger LOG = LogManager.getLogger(AnalyticsWriter.class);
    private static final int ROWS_PER_ROUND_TRIP = 1000;

    /** The audit's fold: rows recomputed whole, without lineage (any batch after it replaces them). */
    static final String OVERWRITE_TOTALS = "INSERT INTO " + AnalyticsSchema.WINDOW_TOTALS + " (window_start, window_end, product_id, category, "
            + "view_count, event_count, purchase_count, total_revenue, lineage, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, now()) "
            + "ON CONFLICT (window_start, product_id, category) DO UPDATE SET window_end = EXCLUDED.window_end, "
            + "view_count = EXCLUDED.view_count, event_count = EXCLUDED.event_count, purchase_count = EXCLUDED.purchase_count, "
            + "total_revenue = EXCLUDED.total_revenue, lineage = NULL, updated_at = now()";
    /** A batch's sums: added to a row of the same lineage, replacing a row of any other. */
    static final String ADD_TOTALS = "INSERT INTO " + AnalyticsSchema.WINDOW_TOTALS + " AS t (window_start, window_end, product_id, category, "
            + "view_count, event_count, purchase_count, total_revenue, lineage, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (window_start, product_id, category) DO UPDATE SET window_end = EXCLUDED.window_end, "
            + addedInLineage("view_count") + ", " + addedInLineage("event_count") + ", " + addedInLineage("purchase_count") + ", "
            + addedInLineage("total_revenue") + ", lineage = EXCLUDED.lineage, updated_at = now()";
    /** The lineage of a batch's progress row, when the batch was written before. */
    static final String WRITTEN_BEFORE = "SELECT lineage FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = ? AND batch_id = ?";
    /** The listener's figures (rows, duration, late rows, lag) are not known yet: they follow once Spark has recorded the batch. */
    static final String UPSERT_PROGRESS = "INSERT INTO " + AnalyticsSchema.STREAM_PROGRESS + " (query_name, batch_id, batch_time, start_offsets, end_offsets, "
            + "watermark, rejected_rows, duplicate_rows, quarantined_rows, lineage, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (query_name, batch_id) DO UPDATE SET batch_time = EXCLUDED.batch_time, start_offsets = EXCLUDED.start_offsets, "
            + "end_offsets = EXCLUDED.end_offsets, watermark = EXCLUDED.watermark, rejected_rows = EXCLUDED.rejected_rows, "
            + "duplicate_rows = EXCLUDED.duplicate_rows, quarantined_rows = EXCLUDED.quarantined_rows, lineage = EXCLUDED.lineage, "
            + "committed_at = EXCLUDED.committed_at";
    static final String UPSERT_QUARANTINED = "INSERT INTO " + AnalyticsSchema.QUARANTINED_ROWS + " (query_name, batch_id, table_name, row_key, "
            + "window_start, row_values, error_state, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (query_name, batch_id, table_name, row_key) DO UPDATE SET window_start = EXCLUDED.window_start, "
            + "row_values = EXCLUDED.row_values, error_state = EXCLUDED.error_state, error = EXCLUDED.error";

    private final JdbcTarget target;
    private final String queryName;
    private final String lineage;

    /**
     * @param lineage the writer's lineage: its checkpoint's (CheckpointManifest), or a new one for a batch job that
     *                replaces what it writes
     */
    public AnalyticsWriter(JdbcTarget target, String queryName, String lineage) {
        this.target = target;
        this.queryName = queryName;
        this.lineage = lineage;
    }

    private static String addedInLineage(String column) {
        return column + " = CASE WHEN t.lineage = EXCLUDED.lineage THEN t." + column + " + EXCLUDED." + column + " ELSE EXCLUDED." + column + " END";
    }

    /**
     * Writes the batch in one transaction, retrying transient failures; isolates and quarantines the rows the
     * database refuses. An empty batch without position connects to nothing.
     *
     * @return the rows quarantined (none when the batch went in whole)
     */
    public List<QuarantinedRow> write(AnalyticsBatch batch) throws SQLException {
        if (batch.isEmpty()) {
            return List.of();
        }
        String what = "Writing batch " + batch.batchId();
        try {
            DatabaseRetry.run(what, () -> writeWhole(batch));
            return List.of();
        } catch (SQLException refused) {
            if (DatabaseRetry.isTransient(refused)) {
                throw refused; // the database stayed away: the job fails and its supervisor restarts it
            }
            LOG.warn("{} was refused ({}); writing it again one row at a time, quarantining what the database refuses",
                    what, refused.getMessage());
        }
        List<QuarantinedRow> quarantined = DatabaseRetry.get(what + " one row at a time", () -> writeIsolating(batch));
        if (!quarantined.isEmpty()) {
            QuarantinedRow first = quarantined.get(0);
            LOG.error("Batch {}: {} rows quarantined in {}; the first: {} {} ({})", batch.batchId(), quarantined.size(),
                    AnalyticsSchema.QUARANTINED_ROWS, first.table(), first.key(), first.error());
        }
        return quarantined;
    }

    private void writeWhole(AnalyticsBatch batch) throws SQLException {
        inTransaction(connection -> {
            if (writtenBefore(connection, batch)) {
                return null;
            }
            if (!batch.windowTotals().isEmpty()) {
                upsertTotals(connection, ADD_TOTALS, lineage, batch.windowTotals());
                recomputeDerived(connection, batch.windowTotals());
            }
            upsertProgress(connection, batch, 0);
            return null;
        });
    }

    /**
     * Whether this batch's progress row of this lineage is there: Spark replays a batch whose transaction committed
     * when the job died before Spark recorded it as done. Its sums are in the tables already, and adding them again
     * would count them twice.
     */
    private boolean writtenBefore(Connection connection, AnalyticsBatch batch) throws SQLException {
        if (batch.position() == null) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement(WRITTEN_BEFORE)) {
            statement.setString(1, queryName);
            statement.setLong(2, batch.batchId());
            try (ResultSet row = statement.executeQuery()) {
                if (row.next() && lineage.equals(row.getString(1))) {
                    LOG.info("Batch {} of lineage {} was written before: Spark replays it after a restart; skipped", batch.batchId(), lineage);
                    return true;
                }
                return false;
            }
        }
    }

    private List<QuarantinedRow> writeIsolating(AnalyticsBatch batch) throws SQLException {
        return inTransaction(connection -> {
            if (writtenBefore(connection, batch)) {
                return List.of();
            }
            List<QuarantinedRow> quarantined = new ArrayList<>();
            for (Row row : batch.windowTotals()) {
                SQLException refused = isolated(connection, () -> upsertTotals(connection, ADD_TOTALS, lineage, List.of(row)));
                if (refused != null) {
                    quarantined.add(QuarantinedRow.ofTotals(batch.batchId(), row, refused));
                }
            }
            for (DerivedTable table : DerivedTable.values()) {
                for (List<Row> pair : pairs(table, batch.windowTotals())) {
                    SQLException refused = isolated(connection, () -> recompute(connection, table, pair));
                    if (refused != null) {
                        quarantined.add(QuarantinedRow.ofDerived(batch.batchId(), table, pair.get(0), refused));
                    }
                }
            }
            insertQuarantined(connection, quarantined);
            upsertProgress(connection, batch, quarantined.size());
            return quarantined;
        });
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private interface Statement {
        void run() throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection connection = target.connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /** Runs one statement under a savepoint; the error that refused it, or null. A transient error is thrown. */
    private static SQLException isolated(Connection connection, Statement statement) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            statement.run();
            connection.releaseSavepoint(savepoint);
            return null;
        } catch (SQLException e) {
            if (DatabaseRetry.isTransient(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            return e;
        }
    }

    /**
     * Overwrites these window_totals rows, without lineage, and recomputes the three tables for the (window, key)
     * pairs they touch, in the caller's transaction: the audit's fold of late events, which rewrites closed windows
     * from the audit's recompute.
     */
    public static void overwriteTotals(Connection connection, List<Row> totals) throws SQLException {
        if (totals.isEmpty()) {
            return;
        }
        upsertTotals(connection, OVERWRITE_TOTALS, null, totals);
        recomputeDerived(connection, totals);
    }

    private static void recomputeDerived(Connection connection, List<Row> totals) throws SQLException {
        for (DerivedTable table : DerivedTable.values()) {
            recompute(connection, table, totals);
        }
    }

    /**
     * Rows: window_start, window_end, product_id, category, view_count, event_count, purchase_count, total_revenue;
     * the lineage is bound only where the statement has its parameter.
     */
    private static void upsertTotals(Connection connection, String sql, String lineage, List<Row> rows) throws SQLException {
        executeBatched(connection, sql, rows, (statement, row) -> {
            statement.setObject(1, utc(row.get(0)));
            statement.setObject(2, utc(row.get(1)));
            statement.setString(3, row.getString(2));
            statement.setString(4, row.getString(3));
            statement.setLong(5, row.getLong(4));
            statement.setLong(6, row.getLong(5));
            statement.setLong(7, row.getLong(6));
            statement.setBigDecimal(8, (BigDecimal) row.get(7));
            if (lineage != null) {
                statement.setString(9, lineage);
            }
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

    /** The rows grouped by the (window, key) pair of the table they touch, one list per pair. */
    private static List<List<Row>> pairs(DerivedTable table, List<Row> totals) {
        java.util.Map<List<Object>, List<Row>> byPair = new java.util.LinkedHashMap<>();
        for (Row row : totals) {
            byPair.computeIfAbsent(List.of(utc(row.get(0)).toInstant(), row.getString(table.keyIndex())), k -> new ArrayList<>()).add(row);
        }
        return new ArrayList<>(byPair.values());
    }

    private static void recompute(Connection connection, DerivedTable table, List<Row> totals) throws SQLException {
        // Distinct pairs: a pair listed twice would still be summed once (IN), but the arrays stay small.
        Set<List<Object>> pairs = new LinkedHashSet<>();
        for (Row row : totals) {
            pairs.add(List.of(utc(row.get(0)).toInstant().toString(), row.getString(table.keyIndex())));
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

    private void insertQuarantined(Connection connection, List<QuarantinedRow> rows) throws SQLException {
        executeBatched(connection, UPSERT_QUARANTINED, rows, (statement, row) -> {
            statement.setString(1, queryName);
            statement.setLong(2, row.batchId());
            statement.setString(3, row.table());
            statement.setString(4, row.key());
            statement.setObject(5, row.windowStart() == null ? null : row.windowStart().atOffset(ZoneOffset.UTC));
            statement.setString(6, row.values());
            statement.setString(7, row.errorState());
            statement.setString(8, row.error());
        });
    }

    private void upsertProgress(Connection connection, AnalyticsBatch batch, long quarantined) throws SQLException {
        BatchPosition position = batch.position();
        if (position == null) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_PROGRESS)) {
            statement.setString(1, queryName);
            statement.setLong(2, position.batchId());
            statement.setObject(3, position.batchTime().atOffset(ZoneOffset.UTC));
            statement.setString(4, position.startOffsets());
            statement.setString(5, position.endOffsets());
            statement.setObject(6, position.watermark() == null ? null : position.watermark().atOffset(ZoneOffset.UTC));
            statement.setLong(7, batch.rejectedCount());
            statement.setLong(8, batch.duplicateCount());
            statement.setLong(9, quarantined);
            statement.setString(10, lineage);
            statement.executeUpdate();
        }
    }

    /** Spark gives java.sql.Timestamp, or Instant with spark.sql.datetime.java8API.enabled; both are absolute. */
    static OffsetDateTime utc(Object value) {
        Instant instant = value instanceof Instant i ? i : ((Timestamp) value).toInstant();
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }
}

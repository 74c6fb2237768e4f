package dev.shopstream.analytics.progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.streaming.StreamingQueryListener;

import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * After every micro-batch of the job's queries: one log line, and one {@code stream_progress} row (upserted on
 * query name and batch id, so a batch that Spark reports again replaces its row).
 *
 * <p>Spark calls listeners on its listener-bus thread, after the batch has committed. Progress is monitoring:
 * a failure to record it is logged and never stops the job. The flip side: when the job is killed between a
 * batch's commit and this write, that one batch has no row (its data is in the tables all the same).
 */
public final class ProgressRecorder extends StreamingQueryListener {

    private static final Logger LOG = LogManager.getLogger(ProgressRecorder.class);
    /**
     * The batch's row was written with its data, in its transaction (offsets, watermark, rejects); this adds
     * Spark's figures, known only once the batch has committed. The INSERT path serves a batch whose sink
     * wrote no row (none does today; kept so progress is never lost).
     */
    private static final String UPSERT = "INSERT INTO " + AnalyticsSchema.STREAM_PROGRESS + " (query_name, batch_id, batch_time, input_rows, "
            + "rows_per_second, batch_duration_ms, late_rows_dropped, rejected_rows, end_offsets, offsets_behind_latest) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (query_name, batch_id) DO UPDATE SET "
            + "input_rows = EXCLUDED.input_rows, rows_per_second = EXCLUDED.rows_per_second, "
            + "batch_duration_ms = EXCLUDED.batch_duration_ms, late_rows_dropped = EXCLUDED.late_rows_dropped, "
            + "offsets_behind_latest = EXCLUDED.offsets_behind_latest";

    private final JdbcTarget target;
    private final Set<String> queryNames;
    /** Query id -> name: Spark's termination event carries only the id. */
    private final Map<UUID, String> namesById = new ConcurrentHashMap<>();
    private transient Connection connection;

    public ProgressRecorder(JdbcTarget target, Set<String> queryNames) {
        this.target = target;
        this.queryNames = Set.copyOf(queryNames);
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        if (queryNames.contains(event.name())) {
            namesById.put(event.id(), event.name());
            LOG.info("{} started (id {}, run {})", event.name(), event.id(), event.runId());
        }
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        if (!queryNames.contains(event.progress().name())) {
            return;
        }
        BatchProgress progress = BatchProgress.from(event.progress());
        LOG.info(progress.logLine());
        record(progress);
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        // No batch ran: nothing to record.
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        String name = namesById.get(event.id());
        if (name == null) {
            return;
        }
        if (event.exception().isDefined()) {
            LOG.error("{} failed: {}", name, event.exception().get());
        } else {
            LOG.info("{} stopped", name);
        }
    }

    /** Writes (or rewrites) the batch's row. Synchronized: Spark's bus is one thread, but tests may call it too. */
    public synchronized void record(BatchProgress progress) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                upsert(progress);
                return;
            } catch (SQLException e) {
                closeQuietly();
                if (attempt == 2) {
                    LOG.warn("Could not record progress of {} batch {}: {}", progress.queryName(), progress.batchId(), e.getMessage());
                }
            }
        }
    }

    private void upsert(BatchProgress progress) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = target.connect();
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            statement.setString(1, progress.queryName());
            statement.setLong(2, progress.batchId());
            statement.setObject(3, progress.batchTime().atOffset(ZoneOffset.UTC));
            statement.setLong(4, progress.inputRows());
            statement.setDouble(5, progress.rowsPerSecond());
            statement.setLong(6, progress.batchDurationMs());
            statement.setLong(7, progress.lateRowsDropped());
            statement.setLong(8, progress.rejectedRows());
            statement.setString(9, progress.endOffsets());
            statement.setObject(10, progress.offsetsBehindLatest(), java.sql.Types.BIGINT);
            statement.executeUpdate();
        }
    }

    /** Closes the connection; the next record opens a new one. */
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }
}

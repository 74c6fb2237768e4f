package dev.shopstream.analytics.progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.streaming.StreamingQueryListener;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;

import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * After every micro-batch of the job's queries: adds Spark's figures (rows, duration, late rows, lag) to the
 * batch's {@code stream_progress} row, which the batch's own transaction wrote with its offsets, watermark and
 * rejected records, and logs one line.
 *
 * <p>Spark calls listeners on its listener-bus thread, after the batch has committed. Progress is monitoring:
 * a failure to record it is logged and never stops the job. The flip side: when the job is killed between a
 * batch's commit and this write, that one batch's row lacks Spark's figures (its data is in the tables all the same).
 */
public final class ProgressRecorder extends StreamingQueryListener {

    private static final Logger LOG = LogManager.getLogger(ProgressRecorder.class);
    /** Returns the rejected count the batch's transaction wrote, for the log line. */
    private static final String UPDATE = "UPDATE " + AnalyticsSchema.STREAM_PROGRESS + " SET input_rows = ?, rows_per_second = ?, "
            + "batch_duration_ms = ?, late_rows_dropped = ?, offsets_behind_latest = ? WHERE query_name = ? AND batch_id = ? "
            + "RETURNING rejected_rows";

    private final JdbcTarget target;
    private final Set<String> queryNames;
    /**
     * Any SQL error is tried once more, at once, on a new connection. Not the sink's {@code DatabaseRetry} and its
     * back-off: this runs on Spark's listener bus, which every other listener waits behind, and a lost figure only
     * leaves one batch's row without Spark's numbers.
     */
    private final RetryPolicy<Long> onceMoreOnANewConnection = RetryPolicy.<Long>builder()
            .handle(SQLException.class)
            .withMaxAttempts(2)
            .onFailedAttempt(failure -> closeQuietly())
            .build();
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
        LOG.info(progress.logLine(record(progress)));
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

    /**
     * Adds the figures to the batch's row (a batch that Spark reports again rewrites them). Synchronized: Spark's
     * bus is one thread, but tests may call it too.
     *
     * @return the batch's rejected records as its transaction counted them; null when its row was not updated
     */
    public synchronized Long record(BatchProgress progress) {
        Long rejected;
        try {
            rejected = Failsafe.with(onceMoreOnANewConnection).get(() -> update(progress));
        } catch (FailsafeException e) {
            LOG.warn("Could not record progress of {} batch {}: {}", progress.queryName(), progress.batchId(), e.getCause().getMessage());
            return null;
        }
        if (rejected == null) {
            LOG.warn("{} batch {} has no {} row: its transaction wrote none", progress.queryName(), progress.batchId(),
                    AnalyticsSchema.STREAM_PROGRESS);
        }
        return rejected;
    }

    private Long update(BatchProgress progress) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = target.connect();
        }
        try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
            statement.setLong(1, progress.inputRows());
            statement.setDouble(2, progress.rowsPerSecond());
            statement.setLong(3, progress.batchDurationMs());
            statement.setLong(4, progress.lateRowsDropped());
            statement.setObject(5, progress.offsetsBehindLatest(), java.sql.Types.BIGINT);
            statement.setString(6, progress.queryName());
            statement.setLong(7, progress.batchId());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
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

package dev.shopstream.analytics.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The foreachBatch writer of one table: the whole micro-batch goes into PostgreSQL in ONE transaction, as
 * batched upserts. Either every row of the batch is in, or none is; and since the upserts overwrite with the
 * batch's values (see {@link SinkTable}), Spark replaying a batch after a crash changes nothing. That, plus
 * Spark's checkpointed offsets and state, is what makes the tables exactly-once.
 *
 * <p>Runs on the driver: rows are collected from the executors and written over one connection. Brief
 * database outages (connection loss, restart, serialization failure) are retried; anything else fails the
 * query, and the job exits so that its supervisor restarts it from the checkpoint.
 */
public final class PostgresUpsertSink implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LogManager.getLogger(PostgresUpsertSink.class);
    private static final int ROWS_PER_ROUND_TRIP = 1000;
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final SinkTable table;
    private final JdbcTarget target;

    public PostgresUpsertSink(SinkTable table, JdbcTarget target) {
        this.table = table;
        this.target = target;
    }

    public SinkTable table() {
        return table;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) throws Exception {
        if (table.boundedOutput()) {
            // Collected once: a retry rewrites these rows without recomputing the stateful batch.
            List<Row> rows = batch.collectAsList();
            write(batchId, rows::iterator);
        } else {
            // Streamed to the driver rather than collected (a flood of garbage is as big as the batch); one
            // partition, so that it is one Spark job rather than one per Kafka partition. A retry recomputes
            // the (stateless) batch from Kafka.
            Dataset<Row> onePartition = batch.coalesce(1);
            write(batchId, onePartition::toLocalIterator);
        }
    }

    /** Writes the rows in one transaction, retrying transient failures; returns how many rows were written. */
    public long write(long batchId, Supplier<Iterator<Row>> rows) throws SQLException, InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            Iterator<Row> iterator = rows.get();
            if (!iterator.hasNext()) {
                return 0;
            }
            try {
                return writeOnce(iterator);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !isTransient(e)) {
                    throw new SQLException("Writing batch " + batchId + " into " + table.name() + " failed: " + e.getMessage(),
                            e.getSQLState(), e);
                }
                LOG.warn("Writing batch {} into {} failed ({}: {}); retry {} of {} in {} ms", batchId, table.name(),
                        e.getSQLState(), e.getMessage(), attempt, MAX_ATTEMPTS - 1, backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private long writeOnce(Iterator<Row> rows) throws SQLException {
        try (Connection connection = target.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(table.upsertSql())) {
                long written = 0;
                while (rows.hasNext()) {
                    table.binder().bind(statement, rows.next());
                    statement.addBatch();
                    if (++written % ROWS_PER_ROUND_TRIP == 0) {
                        statement.executeBatch();
                    }
                }
                if (written % ROWS_PER_ROUND_TRIP != 0) {
                    statement.executeBatch();
                }
                connection.commit();
                return written;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * Worth another try: the connection went (08), the transaction lost a race (40: serialization failure,
     * deadlock), the server is short of resources (53) or shutting down/starting (57P).
     */
    static boolean isTransient(SQLException e) {
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

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }
}

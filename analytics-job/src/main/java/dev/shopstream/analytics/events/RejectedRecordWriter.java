package dev.shopstream.analytics.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.TaskContext;

import dev.shopstream.analytics.sink.DatabaseRetry;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.sink.SqlErrors;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * Writes the rejected records of one Spark task to {@code rejected_events} while the task reads them, a chunk at
 * a time, so that no burst of rejects (millions of them, or records as large as the broker allows) is ever held
 * in memory beyond one chunk of capped payloads, on an executor or on the driver.
 *
 * <p>Each chunk is its own transaction, before the batch's: a row is keyed by its Kafka position and written
 * with ON CONFLICT DO NOTHING, so a retried task, a replayed batch or a restart writes it again harmlessly. A row
 * the database refuses (e.g. a character a non-UTF-8 database cannot store) is written again without its text:
 * its position, length and digest still find the original in Kafka.
 */
public final class RejectedRecordWriter {

    private static final Logger LOG = LogManager.getLogger(RejectedRecordWriter.class);
    static final int CHUNK = 200;
    static final String INSERT = "INSERT INTO " + AnalyticsSchema.REJECTED_EVENTS
            + " (source_topic, source_partition, source_offset, raw_payload, payload_bytes, payload_sha256, reason) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING";

    /** One writer per running task attempt, flushed and dropped when the task ends. */
    private static final Map<Long, RejectedRecordWriter> BY_TASK = new ConcurrentHashMap<>();

    private final JdbcTarget target;
    private final List<RejectedRecord> pending = new ArrayList<>(CHUNK);

    RejectedRecordWriter(JdbcTarget target) {
        this.target = target;
    }

    /**
     * Hands a record to the writer of the task that read it. Outside a task (never in the job), writes it at once.
     */
    public static void write(JdbcTarget target, RejectedRecord record) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            RejectedRecordWriter writer = new RejectedRecordWriter(target);
            writer.add(record);
            writer.flush();
            return;
        }
        BY_TASK.computeIfAbsent(task.taskAttemptId(), id -> {
            RejectedRecordWriter writer = new RejectedRecordWriter(target);
            // Runs in the task's thread as it ends, before its result counts: the rejects of a task that
            // succeeded are stored before the batch's transaction runs. A failure here fails the task.
            task.addTaskCompletionListener(context -> {
                BY_TASK.remove(id);
                if (!context.isInterrupted() && !context.isFailed()) {
                    writer.flush();
                }
            });
            return writer;
        }).add(record);
    }

    void add(RejectedRecord record) {
        pending.add(record);
        if (pending.size() >= CHUNK) {
            flush();
        }
    }

    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            DatabaseRetry.run("Writing " + pending.size() + " rejected records", () -> insert(pending));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), null);
        }
        pending.clear();
    }

    private void insert(List<RejectedRecord> records) throws SQLException {
        try (Connection connection = target.connect()) {
            connection.setAutoCommit(false);
            try {
                insertChunk(connection, records);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (DatabaseRetry.isTransient(e)) {
                    throw e;
                }
                // A row the database refuses: each on its own, the refused ones without their text.
                LOG.warn("{} refused a chunk ({}); writing its {} rows one at a time", AnalyticsSchema.REJECTED_EVENTS, SqlErrors.describe(e),
                        records.size());
                for (RejectedRecord record : records) {
                    insertAlone(connection, record);
                }
            }
        }
    }

    private static void insertChunk(Connection connection, List<RejectedRecord> records) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (RejectedRecord record : records) {
                bind(statement, record, record.payload().text());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void insertAlone(Connection connection, RejectedRecord record) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            bind(statement, record, record.payload().text());
            statement.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if (DatabaseRetry.isTransient(e)) {
                throw e;
            }
            LOG.warn("{} refused the text of {} ({}); keeping its position, length and digest", AnalyticsSchema.REJECTED_EVENTS,
                    record.position(), SqlErrors.describe(e));
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                bind(statement, record, null);
                statement.executeUpdate();
                connection.commit();
            }
        }
    }

    private static void bind(PreparedStatement statement, RejectedRecord record, String text) throws SQLException {
        statement.setString(1, record.topic());
        statement.setInt(2, record.partition());
        statement.setLong(3, record.offset());
        statement.setString(4, text);
        if (record.payload().byteLength() < 0) {
            statement.setNull(5, java.sql.Types.BIGINT);
        } else {
            statement.setLong(5, record.payload().byteLength());
        }
        statement.setString(6, record.payload().sha256());
        statement.setString(7, record.reason());
    }
}

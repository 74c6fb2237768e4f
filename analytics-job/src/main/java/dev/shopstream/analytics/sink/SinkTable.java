package dev.shopstream.analytics.sink;

import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.spark.sql.Row;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.windows.WindowAggregations;

/**
 * A table of sql/create_tables.sql with the statement that writes one result row into it.
 *
 * <p>The window tables OVERWRITE on conflict: in update mode every emitted row carries the window's full
 * running total, so the newest row is the truth, and writing the same batch twice (a replay after a crash)
 * leaves the same values. rejected_events keeps the first write: a record's Kafka position identifies it,
 * and a replay must not move its seen_at.
 */
public record SinkTable(String name, String upsertSql, RowBinder binder, boolean boundedOutput) implements Serializable {

    /** Sets the statement's parameters from one row of the query's output. */
    @FunctionalInterface
    public interface RowBinder extends Serializable {
        void bind(PreparedStatement statement, Row row) throws SQLException;
    }

    public static SinkTable productViewWindow() {
        return windowTable("product_view_window", EventParser.PRODUCT_ID, WindowAggregations.VIEW_COUNT,
                (statement, row) -> statement.setLong(4, row.getLong(3)));
    }

    public static SinkTable categoryActivityWindow() {
        return windowTable("category_activity_window", EventParser.CATEGORY, WindowAggregations.EVENT_COUNT,
                (statement, row) -> statement.setLong(4, row.getLong(3)));
    }

    public static SinkTable categoryRevenueWindow() {
        return windowTable("category_revenue_window", EventParser.CATEGORY, WindowAggregations.TOTAL_REVENUE,
                (statement, row) -> statement.setBigDecimal(4, (BigDecimal) row.get(3)));
    }

    /** Rows of {@link EventParser#rejectedEvents}: topic, partition, offset, raw_payload, reason. */
    public static SinkTable rejectedEvents() {
        String sql = "INSERT INTO rejected_events (source_topic, source_partition, source_offset, raw_payload, reason) "
                + "VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING";
        // Unbounded: a flood of garbage is as big as the batch, so the sink streams it instead of collecting it.
        return new SinkTable("rejected_events", sql, (statement, row) -> {
            statement.setString(1, row.getString(0));
            statement.setInt(2, row.getInt(1));
            statement.setLong(3, row.getLong(2));
            statement.setString(4, storable(row.getString(3)));
            statement.setString(5, row.getString(4));
        }, false);
    }

    /** Output rows are window_start, window_end, key, value (see {@link WindowAggregations}). */
    private static SinkTable windowTable(String table, String keyColumn, String valueColumn, RowBinder value) {
        String sql = "INSERT INTO " + table + " (window_start, window_end, " + keyColumn + ", " + valueColumn + ", updated_at) "
                + "VALUES (?, ?, ?, ?, now()) "
                + "ON CONFLICT (window_start, " + keyColumn + ") DO UPDATE SET window_end = EXCLUDED.window_end, "
                + valueColumn + " = EXCLUDED." + valueColumn + ", updated_at = now()";
        // Bounded: at most one row per key and open window, so the batch's output is collected in one go.
        return new SinkTable(table, sql, (statement, row) -> {
            statement.setObject(1, instant(row.get(0)).atOffset(ZoneOffset.UTC));
            statement.setObject(2, instant(row.get(1)).atOffset(ZoneOffset.UTC));
            statement.setString(3, row.getString(2));
            value.bind(statement, row);
        }, true);
    }

    /** Spark gives java.sql.Timestamp, or Instant with spark.sql.datetime.java8API.enabled; both are absolute. */
    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        return ((Timestamp) value).toInstant();
    }

    /** PostgreSQL text cannot hold NUL; the payload is kept for people to read, so a replacement mark will do. */
    static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }
}

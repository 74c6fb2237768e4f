package dev.shopstream.analytics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.shopstream.stack.PostgresDatabase;

/** The sink's write against the real PostgreSQL: one transaction per batch, and replays that change nothing. */
class PostgresUpsertSinkIT {

    private static final Instant WINDOW = Instant.parse("2026-11-25T10:00:00Z");

    private PostgresDatabase db;
    private JdbcTarget target;

    @BeforeEach
    void freshDatabase() {
        db = PostgresDatabase.forTests("analytics_sink_it").recreateWithSchema();
        target = new JdbcTarget(db.jdbcUrl(), db.user(), db.password());
    }

    @Test
    void shouldLeaveTableExactlyAsItWasWhenBatchIsReplayed() throws Exception {
        PostgresUpsertSink sink = new PostgresUpsertSink(SinkTable.categoryRevenueWindow(), target);
        List<Row> batch = revenueRows(2_500);

        sink.write(7, batch::iterator);
        List<String> once = dump("SELECT window_start, window_end, category, total_revenue FROM category_revenue_window ORDER BY category");
        sink.write(7, batch::iterator);
        List<String> twice = dump("SELECT window_start, window_end, category, total_revenue FROM category_revenue_window ORDER BY category");

        assertThat(once).hasSize(2_500);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void shouldOverwriteWindowWithNewerRunningTotal() throws Exception {
        PostgresUpsertSink sink = new PostgresUpsertSink(SinkTable.productViewWindow(), target);

        sink.write(1, () -> List.of(viewRow("prod_1", 3)).iterator());
        sink.write(2, () -> List.of(viewRow("prod_1", 5), viewRow("prod_2", 1)).iterator());

        assertThat(dump("SELECT product_id, view_count FROM product_view_window ORDER BY product_id"))
                .containsExactly("prod_1|5", "prod_2|1");
    }

    @Test
    void shouldWriteNothingOfBatchThatFailsHalfway() throws Exception {
        PostgresUpsertSink sink = new PostgresUpsertSink(SinkTable.categoryActivityWindow(), target);
        List<Row> batch = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            batch.add(RowFactory.create(ts(WINDOW), ts(WINDOW.plusSeconds(120)), "category " + i, (long) i));
        }
        batch.add(RowFactory.create(ts(WINDOW), ts(WINDOW.plusSeconds(120)), null, 1L)); // category NOT NULL

        assertThatThrownBy(() -> sink.write(3, batch::iterator)).isInstanceOf(SQLException.class)
                .hasMessageContaining("category_activity_window");
        assertThat(dump("SELECT count(*) FROM category_activity_window")).containsExactly("0");
    }

    @Test
    void shouldKeepFirstRecordOfRejectedMessageWhenReplayed() throws Exception {
        PostgresUpsertSink sink = new PostgresUpsertSink(SinkTable.rejectedEvents(), target);
        Row reject = RowFactory.create("user_events", 2, 41L, "not json\u0000with a NUL", "not_json");

        sink.write(1, () -> List.of(reject).iterator());
        List<String> once = dump("SELECT source_topic, source_partition, source_offset, raw_payload, reason, seen_at FROM rejected_events");
        sink.write(1, () -> List.of(reject).iterator());

        assertThat(dump("SELECT source_topic, source_partition, source_offset, raw_payload, reason, seen_at FROM rejected_events"))
                .isEqualTo(once)
                .singleElement().asString().startsWith("user_events|2|41|not json\uFFFDwith a NUL|not_json|");
    }

    @Test
    void shouldNotConnectForEmptyBatch() throws Exception {
        JdbcTarget unreachable = new JdbcTarget("jdbc:postgresql://127.0.0.1:1/nowhere", "nobody", "");
        PostgresUpsertSink sink = new PostgresUpsertSink(SinkTable.productViewWindow(), unreachable);

        assertThat(sink.write(9, () -> List.<Row>of().iterator())).isZero();
    }

    private static List<Row> revenueRows(int categories) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < categories; i++) {
            rows.add(RowFactory.create(ts(WINDOW), ts(WINDOW.plusSeconds(120)), String.format("category %04d", i),
                    new BigDecimal(i + ".10")));
        }
        return rows;
    }

    private static Row viewRow(String product, long views) {
        return RowFactory.create(ts(WINDOW), ts(WINDOW.plusSeconds(120)), product, views);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private List<String> dump(String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    values.add(rs.getString(c));
                }
                lines.add(String.join("|", values));
            }
        }
        return lines;
    }
}

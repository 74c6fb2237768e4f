package dev.shopstream.producer.retention;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.PostgresTestResource;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on the real database: rows older than their setting go, in batches (the test profile's batch size
 * is 2), the rest stay, GET /metrics/pipeline counts what went, 0 keeps everything, and a row locked by a
 * transaction in flight (the job's batch) is skipped instead of waited for. The schedule is off in the tests;
 * each test runs one pass itself.
 */
@QuarkusTest
class RetentionTest {

    static { RealInfrastructure.class.getName(); }

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    Retention retention;
    @Inject
    Pool pool;
    @Inject
    RetentionSettings settings;

    @BeforeEach
    void oldAndRecentRows() {
        AnalyticsFixture.empty();
        AnalyticsFixture.execute("""
                INSERT INTO product_view_window (window_start, window_end, product_id, view_count) VALUES
                  (date_trunc('minute', now() - interval '10 days'), date_trunc('minute', now() - interval '10 days') + interval '2 minutes', 'old_a', 1),
                  (date_trunc('minute', now() - interval '9 days'),  date_trunc('minute', now() - interval '9 days') + interval '2 minutes', 'old_b', 2),
                  (date_trunc('minute', now() - interval '8 days'),  date_trunc('minute', now() - interval '8 days') + interval '2 minutes', 'old_c', 3),
                  (date_trunc('minute', now() - interval '6 days'),  date_trunc('minute', now() - interval '6 days') + interval '2 minutes', 'new_a', 4),
                  (date_trunc('minute', now() - interval '1 hour'),  date_trunc('minute', now() - interval '1 hour') + interval '2 minutes', 'new_b', 5);
                INSERT INTO category_activity_window (window_start, window_end, category, event_count) VALUES
                  (date_trunc('minute', now() - interval '8 days'), date_trunc('minute', now() - interval '8 days') + interval '2 minutes', 'old', 10),
                  (date_trunc('minute', now() - interval '2 days'), date_trunc('minute', now() - interval '2 days') + interval '2 minutes', 'new', 20);
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue) VALUES
                  (date_trunc('minute', now() - interval '30 days'), date_trunc('minute', now() - interval '30 days') + interval '2 minutes', 'old_a', 1.10),
                  (date_trunc('minute', now() - interval '8 days'),  date_trunc('minute', now() - interval '8 days') + interval '2 minutes', 'old_b', 2.20),
                  (date_trunc('minute', now() - interval '1 day'),   date_trunc('minute', now() - interval '1 day') + interval '2 minutes', 'new', 3.30);
                INSERT INTO rejected_events (source_topic, source_partition, source_offset, raw_payload, reason, seen_at, payload_bytes) VALUES
                  ('user_events', 0, 1, 'x', 'not_json', now() - interval '8 days', 1),
                  ('user_events', 0, 2, 'y', 'not_json', now() - interval '9 days', 1),
                  ('user_events', 1, 3, 'z', 'not_json', now() - interval '7 days 1 minute', 1),
                  ('user_events', 1, 4, 'w', 'not_json', now() - interval '6 days 23 hours', 1);
                """);
    }

    @Test
    void shouldDeleteWhatIsOlderThanItsSettingInBatchesAndCountItInThePipelineMetrics() throws SQLException {
        assertThat(settings.batchSize()).isEqualTo(2);
        JsonPath before = pipelineRetention();

        assertThat(retention.runOnce().await().atMost(PATIENCE)).isEqualTo(9L);

        assertThat(column("SELECT product_id FROM product_view_window ORDER BY product_id")).containsExactly("new_a", "new_b");
        assertThat(column("SELECT category FROM category_activity_window")).containsExactly("new");
        assertThat(column("SELECT category || '=' || total_revenue FROM category_revenue_window")).containsExactly("new=3.30");
        assertThat(column("SELECT source_offset::text FROM rejected_events")).containsExactly("4");

        JsonPath after = pipelineRetention();
        assertThat(after.getLong("keep_window_rows_seconds")).isEqualTo(7 * 24 * 3600L);
        assertThat(after.getLong("keep_rejected_events_seconds")).isEqualTo(7 * 24 * 3600L);
        assertThat(after.getLong("window_rows_deleted")).isEqualTo(before.getLong("window_rows_deleted") + 6);
        assertThat(after.getLong("rejected_events_deleted")).isEqualTo(before.getLong("rejected_events_deleted") + 3);
        assertThat(after.getString("last_run")).isNotNull();

        assertThat(retention.runOnce().await().atMost(PATIENCE)).isZero();
    }

    @Test
    void shouldDeleteTheAuditsOfOldWindowsWithTheWindows() throws SQLException {
        AnalyticsFixture.execute("""
                INSERT INTO audit_window (window_start, window_end, table_name, stream_value, batch_value, late_value, late_events,
                                          unexplained, mismatched_keys, first_mismatch, audited_at) VALUES
                  (date_trunc('minute', now() - interval '8 days'), date_trunc('minute', now() - interval '8 days') + interval '2 minutes',
                   'product_view_window', 3, 3, 0, 0, 0, 0, null, now() - interval '8 days'),
                  (date_trunc('minute', now() - interval '1 hour'), date_trunc('minute', now() - interval '1 hour') + interval '2 minutes',
                   'product_view_window', 5, 5, 0, 0, 0, 0, null, now());
                INSERT INTO late_events (source_topic, source_partition, source_offset, event_id, event_type, product_id, category, price,
                                         event_time, missed_watermark, batch_id, window_start, window_end, already_counted) VALUES
                  ('user_events', 0, 10, 'old', 'product_view', 'p', 'c', 1.00, now() - interval '8 days', now() - interval '8 days', 1,
                   date_trunc('minute', now() - interval '8 days'), date_trunc('minute', now() - interval '8 days') + interval '2 minutes', false),
                  ('user_events', 0, 11, 'new', 'product_view', 'p', 'c', 1.00, now() - interval '1 hour', now() - interval '1 hour', 2,
                   date_trunc('minute', now() - interval '1 hour'), date_trunc('minute', now() - interval '1 hour') + interval '2 minutes', false);
                """);

        retention.runOnce().await().atMost(PATIENCE);

        assertThat(column("SELECT stream_value::text FROM audit_window")).containsExactly("5.00");
        assertThat(column("SELECT event_id FROM late_events")).containsExactly("new");
    }

    /** Issue 28: the quarantine by quarantined_at, after retention.quarantined-rows (30 days by default). */
    @Test
    void shouldDeleteQuarantinedRowsOlderThanTheirSettingAndCountThem() throws SQLException {
        AnalyticsFixture.execute("""
                INSERT INTO quarantined_rows (query_name, batch_id, table_name, row_key, window_start, row_values, error_state, error,
                                              quarantined_at) VALUES
                  ('shop_analytics', 1, 'category_revenue_window', 'old', now() - interval '31 days', '{}', '22003', 'numeric field overflow',
                   now() - interval '31 days'),
                  ('shop_analytics', 2, 'category_revenue_window', 'new', now() - interval '29 days', '{}', '22003', 'numeric field overflow',
                   now() - interval '29 days');
                """);
        JsonPath before = pipelineRetention();

        retention.runOnce().await().atMost(PATIENCE);

        assertThat(column("SELECT row_key FROM quarantined_rows")).containsExactly("new");
        JsonPath after = pipelineRetention();
        assertThat(after.getLong("keep_quarantined_rows_seconds")).isEqualTo(30 * 24 * 3600L);
        assertThat(after.getLong("quarantined_rows_deleted")).isEqualTo(before.getLong("quarantined_rows_deleted") + 1);
        assertThat(given().when().get("/metrics/pipeline").then().statusCode(200).extract().jsonPath().getLong("quarantined_rows")).isEqualTo(1);
    }

    @Test
    void shouldKeepEverythingWhenSetTo0() throws SQLException {
        Retention keepAll = new Retention(pool, settings(Duration.ZERO, Duration.ZERO));

        assertThat(keepAll.runOnce().await().atMost(PATIENCE)).isZero();

        assertThat(column("SELECT count(*)::text FROM product_view_window")).containsExactly("5");
        assertThat(column("SELECT count(*)::text FROM rejected_events")).containsExactly("4");
        assertThat(keepAll.status().windowRowsDeleted()).isZero();
    }

    @Test
    void shouldSkipRowsATransactionInFlightHoldsInsteadOfWaitingForThem() throws SQLException {
        Retention windowsOnly = new Retention(pool, settings(Duration.ofDays(7), Duration.ZERO));
        try (Connection job = PostgresTestResource.DATABASE.connect()) {
            job.setAutoCommit(false);
            try (Statement upsert = job.createStatement()) {
                // Like the job's batch transaction: it has written this (old) row and not committed yet.
                upsert.executeUpdate("UPDATE product_view_window SET view_count = 7 WHERE product_id = 'old_b'");
            }
            assertThat(windowsOnly.runOnce().await().atMost(PATIENCE)).isEqualTo(5L);
            job.commit();
        }
        assertThat(column("SELECT product_id FROM product_view_window ORDER BY product_id")).containsExactly("new_a", "new_b", "old_b");

        assertThat(windowsOnly.runOnce().await().atMost(PATIENCE)).isEqualTo(1L);
        assertThat(windowsOnly.status().windowRowsDeleted()).isEqualTo(6);
    }

    private RetentionSettings settings(Duration windowRows, Duration rejectedEvents) {
        return new RetentionSettings() {
            public Duration windowRows() {
                return windowRows;
            }

            public Duration rejectedEvents() {
                return rejectedEvents;
            }

            public Duration quarantinedRows() {
                return Duration.ZERO;
            }

            public int batchSize() {
                return settings.batchSize();
            }

            public String interval() {
                return "off";
            }
        };
    }

    private static JsonPath pipelineRetention() {
        return given().when().get("/metrics/pipeline").then().statusCode(200).extract().jsonPath().setRootPath("retention");
    }

    private static List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = PostgresTestResource.DATABASE.connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}

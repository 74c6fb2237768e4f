package dev.shopstream.producer.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Known rows in the analytics tables, written with plain JDBC (independently of the service's reactive
 * client): three 2-minute windows W1 02:30, W2 02:32 and W3 02:34 on 2026-11-25, with ties and decimals.
 * The latest batches are 1,200 (shop_analytics) and 45 (category_activity) offsets behind: 1,245 in total.
 * The database refused 4 rows, which the quarantine holds: 3 of shop_analytics (2 in batch 1, 1 in batch 2) and 1 of
 * category_activity.
 * The newest batch of the job's query (shop_analytics batch 2) has the watermark {@link #WATERMARK}, past the end of W1
 * and W2: they are final, W3 is open (batch 0 had no watermark yet, batch 1 02:33; the other queries record none).
 * The audit (audit_window) has checked W1 and W2, W3 being still open: W2 is exact with three late events not folded
 * in (two views, one purchase of 19.98); W1 is off in two tables: the batch recompute found a purchase of 4.99 in
 * {@code home & kitchen} that the tables lack, so category_activity_window is off by -1 (the first table off) and
 * category_revenue_window by -4.99.
 */
public final class AnalyticsFixture {

    public static final String W1 = "2026-11-25T02:30:00Z";
    public static final String W2 = "2026-11-25T02:32:00Z";
    public static final String W3 = "2026-11-25T02:34:00Z";
    public static final String W3_END = "2026-11-25T02:36:00Z";
    /** The watermark of the job's newest batch: W1 and W2 end before it, W3 after. */
    public static final String WATERMARK = "2026-11-25T02:35:00Z";

    private AnalyticsFixture() {
    }

    public static void empty() {
        PostgresTestResource.DATABASE.truncateAll();
    }

    public static void load() {
        empty();
        execute("""
                INSERT INTO product_view_window (window_start, window_end, product_id, view_count, updated_at) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'prod_0007', 42, now() - interval '3 seconds'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'prod_0003', 17, now() - interval '3 seconds'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'prod_0001', 17, now() - interval '3 seconds'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'prod_0100', 1, now() - interval '3 seconds'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'prod_0002', 5, now() - interval '1 minute'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'prod_0007', 30, now() - interval '1 minute'),
                  ('2026-11-25T02:30:00Z', '2026-11-25T02:32:00Z', 'prod_0001', 9, now() - interval '3 minutes');
                INSERT INTO category_activity_window (window_start, window_end, category, event_count, updated_at) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'electronics', 120, now() - interval '5 seconds'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'home & kitchen', 80, now() - interval '5 seconds'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'books', 80, now() - interval '5 seconds'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'electronics', 100, now() - interval '1 minute'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'books', 3, now() - interval '1 minute');
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue, updated_at) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'electronics', 1299.90, now() - interval '7 seconds'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'books', 35.97, now() - interval '7 seconds'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'home & kitchen', 0.10, now() - interval '7 seconds'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'electronics', 4999.99, now() - interval '1 minute'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'books', 0.30, now() - interval '1 minute');
                INSERT INTO stream_progress (query_name, batch_id, batch_time, input_rows, rows_per_second, batch_duration_ms,
                                             late_rows_dropped, rejected_rows, end_offsets) VALUES
                  ('shop_analytics', 0, now() - interval '30 seconds', 1000, 250.0, 4000, 0, 2, null),
                  ('shop_analytics', 1, now() - interval '20 seconds', 500, 500.0, 1000, 3, 0, null),
                  ('shop_analytics', 2, now() - interval '10 seconds', 200, 400.0, 500, 1, 1, null),
                  ('category_activity', 0, now() - interval '15 minutes', 200, 100.0, 2000, 0, 0, null),
                  ('category_activity', 1, now() - interval '25 seconds', 1500, 300.0, 5000, 4, 3, null),
                  ('category_revenue', 0, now() - interval '2 hours', 1700, 340.0, 5000, 4, 3, null);
                -- The watermark each batch of the job's query ran with: none in its first batch.
                UPDATE stream_progress SET watermark = CASE
                    WHEN batch_id = 1 THEN timestamptz '2026-11-25T02:33:00Z'
                    WHEN batch_id = 2 THEN timestamptz '2026-11-25T02:35:00Z' END
                 WHERE query_name = 'shop_analytics';
                -- The consumer lag at the end of a batch; category_revenue's batch was recorded without it.
                UPDATE stream_progress SET offsets_behind_latest = CASE
                    WHEN query_name = 'shop_analytics' AND batch_id = 1 THEN 300
                    WHEN query_name = 'shop_analytics' AND batch_id = 2 THEN 1200
                    WHEN query_name = 'category_activity' THEN 45 END;
                UPDATE stream_progress SET quarantined_rows = CASE
                    WHEN query_name = 'shop_analytics' AND batch_id = 1 THEN 2
                    WHEN query_name = 'shop_analytics' AND batch_id = 2 THEN 1
                    WHEN query_name = 'category_activity' AND batch_id = 1 THEN 1 ELSE 0 END;
                INSERT INTO quarantined_rows (query_name, batch_id, table_name, row_key, window_start, row_values, error_state, error) VALUES
                  ('shop_analytics', 1, 'category_revenue_window', 'toys', '2026-11-25T02:32:00Z',
                   '{"total_revenue":"1000000000000000000000000000000000000.00"}', '22003', 'numeric field overflow'),
                  ('shop_analytics', 1, 'window_totals', 'prod_0009 toys', '2026-11-25T02:32:00Z',
                   '{"total_revenue":"1000000000000000000000000000000000000.00"}', '22003', 'numeric field overflow'),
                  ('shop_analytics', 2, 'product_view_window', 'prod_0666', '2026-11-25T02:34:00Z',
                   '{"view_count":-1}', '23514', 'new row violates check constraint'),
                  ('category_activity', 1, 'category_activity_window', 'books', '2026-11-25T02:34:00Z',
                   '{"event_count":-1}', '23514', 'new row violates check constraint');
                INSERT INTO rejected_events (source_topic, source_partition, source_offset, raw_payload, reason, payload_bytes, payload_sha256)
                SELECT 'user_events', p, o, payload, reason, octet_length(payload), encode(sha256(convert_to(payload, 'UTF8')), 'hex')
                FROM (VALUES (0, 17, 'not json', 'not_json'),
                             (1, 4, '{"event_type":"refund"}', 'unknown_event_type'),
                             (2, 99, '{}', 'missing_field:event_id')) AS rejected(p, o, payload, reason);
                INSERT INTO audit_window (window_start, window_end, table_name, stream_value, batch_value, late_value, late_events,
                                          unexplained, mismatched_keys, first_mismatch, audited_at) VALUES
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'product_view_window', 35, 37, 2, 3, 0, 0, null, '2026-11-25T02:45:00Z'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'category_activity_window', 103, 106, 3, 3, 0, 0, null, '2026-11-25T02:45:00Z'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'category_revenue_window', 5000.29, 5020.27, 19.98, 3, 0, 0, null, '2026-11-25T02:45:00Z'),
                  ('2026-11-25T02:30:00Z', '2026-11-25T02:32:00Z', 'product_view_window', 9, 9, 0, 0, 0, 0, null, '2026-11-25T02:40:00Z'),
                  ('2026-11-25T02:30:00Z', '2026-11-25T02:32:00Z', 'category_activity_window', 0, 1, 0, 0, -1, 1, 'home & kitchen -1', '2026-11-25T02:40:00Z'),
                  ('2026-11-25T02:30:00Z', '2026-11-25T02:32:00Z', 'category_revenue_window', 0, 4.99, 0, 0, -4.99, 1, 'home & kitchen -4.99', '2026-11-25T02:40:00Z');
                """);
    }

    /** A window's revenue beyond a double's 15-17 significant digits: 24 integer digits. */
    public static final String HUGE_REVENUE = "999999999999999999999999.99";
    /** 18 integer digits: a double reads it as 123456789012345680. */
    public static final String LARGE_REVENUE = "123456789012345678.91";
    /** The largest value numeric(38, 2) holds (sql/V4): 36 integer digits. */
    public static final String LARGEST_REVENUE = "999999999999999999999999999999999999.99";

    /**
     * The known rows, with revenue no double holds exactly: in W3 electronics {@link #HUGE_REVENUE} and books
     * {@link #LARGE_REVENUE}; the audit of W2 found late purchases worth {@link #LARGE_REVENUE} (the batch recompute
     * is the stream's 5000.29 plus them); in W1 only category_revenue_window is off, by minus {@link #HUGE_REVENUE}
     * for {@code home & kitchen}, so it is the window's first mismatch.
     */
    public static void loadWithHugeRevenue() {
        load();
        execute("""
                UPDATE category_revenue_window SET total_revenue = %1$s WHERE window_start = '%3$s' AND category = 'electronics';
                UPDATE category_revenue_window SET total_revenue = %2$s WHERE window_start = '%3$s' AND category = 'books';
                UPDATE audit_window SET batch_value = 5000.29 + %2$s, late_value = %2$s
                 WHERE window_start = '%4$s' AND table_name = 'category_revenue_window';
                UPDATE audit_window SET batch_value = 0, unexplained = 0, mismatched_keys = 0, first_mismatch = null
                 WHERE window_start = '%5$s' AND table_name = 'category_activity_window';
                UPDATE audit_window SET batch_value = %1$s, unexplained = -%1$s, first_mismatch = 'home & kitchen -%1$s'
                 WHERE window_start = '%5$s' AND table_name = 'category_revenue_window';
                """.formatted(HUGE_REVENUE, LARGE_REVENUE, W3, W2, W1));
    }

    /**
     * A real outage of the real database, or its end: PostgreSQL refuses new connections to the tests' database
     * and drops the open ones; allowing them again lets the service's pool reconnect by itself.
     */
    public static void allowConnections(boolean allowed) {
        dev.shopstream.testsupport.PostgresDatabase db = PostgresTestResource.DATABASE;
        dev.shopstream.testsupport.PostgresDatabase maintenance =
                new dev.shopstream.testsupport.PostgresDatabase(db.host(), db.port(), "postgres", db.user(), db.password());
        try (Connection connection = maintenance.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + db.database() + " ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.database()
                        + "' AND pid <> pg_backend_pid()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(String sql) {
        PostgresTestResource.DATABASE.execute(sql);
    }
}

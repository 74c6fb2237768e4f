package dev.shopstream.flink;

/**
 * The Flink SQL of figure 2's peer, as a user would write it from the event contract (pipeline-contract/README.md).
 *
 * <p>Where Flink's reading differs from the contract's (EventRules), on purpose or not, it says so here; the benchmark
 * reports any difference in totals:
 * <ul>
 *   <li>Text and numbers are read as STRING and judged by SQL; a record that is not JSON at all, or whose event_time
 *       is not Flink's ISO-8601 timestamp ({@code 2026-11-25T02:31:07.412Z}), is dropped by the JSON format
 *       ({@code json.ignore-parse-errors}). The contract also accepts offsets such as {@code +02:00}: Flink drops them.</li>
 *   <li>TRIM removes spaces only; the contract's "blank" also counts tabs and line breaks as blank.</li>
 *   <li>Late events: Flink's watermark is the smallest over the Kafka partitions of each partition's newest event time
 *       minus 1 minute, and a window operator drops what is behind it; the job's watermark is Spark's (newest event
 *       time over all partitions, applied from the next micro-batch). The oracle counts every valid event.</li>
 * </ul>
 */
final class ShopSql {

    private ShopSql() {
    }

    static String sourceTable(String topic, String bootstrap) {
        return """
                CREATE TABLE events (
                  event_id STRING,
                  event_type STRING,
                  user_id STRING,
                  product_id STRING,
                  category STRING,
                  price STRING,
                  event_time TIMESTAMP_LTZ(3),
                  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
                  -- a missing event_time must not reach the watermark (Flink fails on a null rowtime); filtered below
                  ts AS COALESCE(event_time, TO_TIMESTAMP_LTZ(0, 3)),
                  pt AS PROCTIME(),
                  WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE
                ) WITH (
                  'connector' = 'kafka',
                  'topic' = '%s',
                  'properties.bootstrap.servers' = '%s',
                  'properties.group.id' = 'flink-reference',
                  'scan.startup.mode' = 'earliest-offset',
                  'scan.bounded.mode' = 'latest-offset',
                  'format' = 'json',
                  'json.ignore-parse-errors' = 'true',
                  'json.fail-on-missing-field' = 'false',
                  'json.timestamp-format.standard' = 'ISO-8601'
                )""".formatted(topic, bootstrap);
    }

    /** The contract's checks: every field present, text 1-128 code points and not blank nor NUL, a known type, a price in cents. */
    static final String VALID_EVENTS = """
            CREATE TEMPORARY VIEW valid_events AS
            SELECT kafka_partition, event_id, event_type, product_id, category, CAST(p AS DECIMAL(10, 2)) AS price, ts, pt
            FROM (SELECT *, TRY_CAST(TRIM(price) AS DECIMAL(38, 18)) AS p FROM events)
            WHERE event_time IS NOT NULL
              AND event_id IS NOT NULL AND CHAR_LENGTH(event_id) <= 128 AND TRIM(event_id) <> '' AND POSITION(CHR(0) IN event_id) = 0
              AND user_id IS NOT NULL AND CHAR_LENGTH(user_id) <= 128 AND TRIM(user_id) <> '' AND POSITION(CHR(0) IN user_id) = 0
              AND product_id IS NOT NULL AND CHAR_LENGTH(product_id) <= 128 AND TRIM(product_id) <> '' AND POSITION(CHR(0) IN product_id) = 0
              AND category IS NOT NULL AND CHAR_LENGTH(category) <= 128 AND TRIM(category) <> '' AND POSITION(CHR(0) IN category) = 0
              AND event_type IN ('product_view', 'add_to_cart', 'purchase')
              AND p IS NOT NULL AND p > 0 AND p <= 999999.99 AND p * 100 = FLOOR(p * 100)
              AND ts >= TO_TIMESTAMP_LTZ(0, 3)
            """;

    /**
     * Each event_id once per Kafka partition, the first copy read (the contract's meaning of a duplicate; Flink's
     * documented deduplication: keep the first row in processing time, and a partition is read in offset order).
     */
    static final String UNIQUE_EVENTS = """
            CREATE TEMPORARY VIEW unique_events AS
            SELECT event_id, event_type, product_id, category, price, ts
            FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY kafka_partition, event_id ORDER BY pt ASC) AS copy FROM valid_events)
            WHERE copy = 1
            """;

    /** The three analytics per 2-minute tumbling window, as one result: (table, window start, key, value). */
    static final String WINDOW_TOTALS = """
            SELECT 'views' AS tbl, window_start, product_id AS k, CAST(COUNT(*) AS DECIMAL(20, 2)) AS v
            FROM TABLE(TUMBLE(TABLE unique_events, DESCRIPTOR(ts), INTERVAL '2' MINUTE))
            WHERE event_type = 'product_view'
            GROUP BY window_start, window_end, product_id
            UNION ALL
            SELECT 'activity', window_start, category, CAST(COUNT(*) AS DECIMAL(20, 2))
            FROM TABLE(TUMBLE(TABLE unique_events, DESCRIPTOR(ts), INTERVAL '2' MINUTE))
            GROUP BY window_start, window_end, category
            UNION ALL
            SELECT 'revenue', window_start, category, CAST(SUM(price) AS DECIMAL(20, 2))
            FROM TABLE(TUMBLE(TABLE unique_events, DESCRIPTOR(ts), INTERVAL '2' MINUTE))
            WHERE event_type = 'purchase'
            GROUP BY window_start, window_end, category
            """;
}

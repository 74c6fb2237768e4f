package dev.shopstream.producer.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import dev.shopstream.contract.AnalyticsSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SQL of the read API, over the reactive PostgreSQL client. Request values only ever travel as bind
 * parameters; table and column names come from {@link WindowTable}. Every query gives up after
 * {@link #QUERY_TIMEOUT}, so a database that hangs yields a 503, not a hung request.
 *
 * <p>Identical reads that arrive while one is already running join it instead of running again: under load
 * (a dashboard on many screens, 64 clients polling the same endpoint) the database answers each distinct
 * query once per round trip, not once per request. A read never gets an answer from a query that started
 * before the previous answer was given, so nothing is served that is older than a request in flight.
 */
@ApplicationScoped
public class AnalyticsRepository {

    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    /** Prometheus {@code shopstream_api_database_queries_total}: below the requests answered when reads share queries. */
    static final String QUERIES_METRIC = "shopstream.api.database.queries";

    /**
     * The watermark of the job's newest batch (the one GET /metrics/pipeline calls its last: latest batch_time, then
     * batch_id); null before the first batch, and in a first batch, which runs before Spark has seen an event time.
     */
    private static final String WATERMARK = "(SELECT watermark FROM newest)";
    /**
     * Whether a row's window is final: its end is at or before that watermark. Spark drops an event at or before the
     * watermark as late, and every event of a window is before its end, so no on-time event can change the window.
     * No watermark: false.
     */
    private static final String FINAL = "t.window_end <= " + WATERMARK;

    private final Pool pool;
    /** The read running now for each SQL text and parameters; removed as soon as it has its answer. */
    private final ConcurrentMap<String, Uni<RowSet<Row>>> inFlight = new ConcurrentHashMap<>();
    private final Counter queries;

    public AnalyticsRepository(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.queries = Counter.builder(QUERIES_METRIC).description("Queries the read API sent to PostgreSQL").register(registry);
    }

    /**
     * Rows of a window table, newest window first, then the largest value, then the key; each with whether its window
     * is final and the audit's row for its window and table ({@link #windowState}).
     */
    <T> Uni<List<T>> windows(WindowTable t, WindowFilter filter, Function<Row, T> mapper) {
        StringBuilder sql = new StringBuilder(windowState(t) + " WHERE true");
        Tuple params = Tuple.tuple();
        if (filter.from() != null) {
            params.addOffsetDateTime(utc(filter.from()));
            sql.append(" AND t.window_start >= $").append(params.size());
        }
        if (filter.to() != null) {
            params.addOffsetDateTime(utc(filter.to()));
            sql.append(" AND t.window_start <= $").append(params.size());
        }
        if (filter.key() != null) {
            params.addString(filter.key());
            sql.append(" AND t.").append(t.keyColumn).append(" = $").append(params.size());
        }
        if (Boolean.TRUE.equals(filter.isFinal())) {
            // The first test has no column in it: PostgreSQL checks it once, and reads no row while there is no watermark.
            sql.append(" AND ").append(WATERMARK).append(" IS NOT NULL AND ").append(FINAL);
        } else if (Boolean.FALSE.equals(filter.isFinal())) {
            // Open windows are the newest, read first off the ranking index. When fewer than limit rows are open, the
            // read goes on through the final ones to be sure: no index on window_end bounds it, and a table may hold
            // windows of several lengths (the job's WINDOW_DURATION can change with a new checkpoint).
            sql.append(" AND (").append(FINAL).append(") IS NOT TRUE");
        }
        params.addInteger(filter.limit());
        sql.append(" ORDER BY t.window_start DESC, t.").append(t.valueColumn).append(" DESC, t.").append(t.keyColumn)
                .append(" LIMIT $").append(params.size());
        return read(sql.toString(), params).map(rows -> map(rows, mapper));
    }

    /** The leaders of one window: the given one, or the latest when {@code windowStart} is null; as {@link #windows}. */
    <T> Uni<List<T>> leaders(WindowTable t, Instant windowStart, int n, Function<Row, T> mapper) {
        String sql = windowState(t) + " WHERE t.window_start = COALESCE($1::timestamptz, (SELECT max(window_start) FROM " + t.table + "))"
                + " ORDER BY t." + t.valueColumn + " DESC, t." + t.keyColumn + " LIMIT $2";
        return read(sql, Tuple.of(windowStart == null ? null : utc(windowStart), n)).map(rows -> map(rows, mapper));
    }

    /**
     * The start of a read of a window table {@code t}: its window, key and value, is_final, and the audit's row for
     * the window and this table (audit_unexplained, audit_mismatched_keys, audit_audited_at; null when not audited).
     * The newest watermark and the audit are read in the same statement as the rows, so a row and its flags come
     * from one snapshot: a batch commits its rows and its stream_progress row (with its watermark) in one transaction.
     */
    private static String windowState(WindowTable t) {
        return "WITH newest AS MATERIALIZED (SELECT watermark FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = '"
                + AnalyticsSchema.QUERY_NAME + "' ORDER BY batch_time DESC, batch_id DESC LIMIT 1) "
                + "SELECT t.window_start, t.window_end, t." + t.keyColumn + " AS key, t." + t.valueColumn + " AS value, "
                + "coalesce(" + FINAL + ", false) AS is_final, "
                + "a.unexplained AS audit_unexplained, a.mismatched_keys AS audit_mismatched_keys, a.audited_at AS audit_audited_at "
                + "FROM " + t.table + " t "
                + "LEFT JOIN " + AnalyticsSchema.AUDIT_WINDOW + " a ON a.window_start = t.window_start AND a.table_name = '" + t.table + "'";
    }

    /**
     * Everything GET /metrics/pipeline reads, in ONE statement (so that a Prometheus scrape costs one query, and
     * every figure is taken at the same {@code now()}): one row per streaming query (its latest batch, its
     * totals), each row also carrying the database's clock, the count of rejected events, the count of quarantined
     * rows and the freshness of each window table as arrays in {@link WindowTable} order. With no batch yet there is still one row, its
     * query columns null.
     */
    Uni<RowSet<Row>> pipeline() {
        List<String> freshness = new ArrayList<>();
        for (WindowTable t : WindowTable.values()) {
            freshness.add("SELECT " + t.ordinal() + " AS position, '" + t.table + "' AS table_name, max(updated_at) AS newest_update, "
                    + "extract(epoch FROM now() - max(updated_at))::float8 AS age_seconds FROM " + t.table);
        }
        return read("""
                WITH freshness AS (%1$s),
                latest AS (SELECT DISTINCT ON (query_name) * FROM %3$s ORDER BY query_name, batch_time DESC, batch_id DESC),
                totals AS (SELECT query_name, count(*) AS batches, coalesce(sum(input_rows), 0) AS input_rows,
                                  coalesce(sum(late_rows_dropped), 0) AS late_rows_dropped, sum(rejected_rows) AS rejected_rows,
                                  sum(quarantined_rows) AS quarantined_rows
                           FROM %3$s GROUP BY query_name),
                queries AS (
                    -- The newest batch's row is written with its data; Spark's figures follow from the job's
                    -- listener a moment later (null until then: read as 0 here).
                    SELECT l.query_name, l.batch_id, l.batch_time, coalesce(l.batch_duration_ms, 0) AS batch_duration_ms,
                           coalesce(l.input_rows, 0) AS input_rows, coalesce(l.rows_per_second, 0) AS rows_per_second,
                           l.offsets_behind_latest,
                           t.batches, t.input_rows AS total_input_rows, t.late_rows_dropped, t.rejected_rows, t.quarantined_rows,
                           extract(epoch FROM now() - l.batch_time) AS seconds_since_last_batch
                    FROM latest l JOIN totals t USING (query_name))
                SELECT now() AS checked_at,
                       (SELECT count(*) FROM %4$s) AS rejected_events,
                       (SELECT count(*) FROM %2$s) AS quarantined_total,
                       (SELECT array_agg(table_name ORDER BY position) FROM freshness) AS table_names,
                       (SELECT array_agg(newest_update ORDER BY position) FROM freshness) AS table_newest_updates,
                       (SELECT array_agg(age_seconds ORDER BY position) FROM freshness) AS table_age_seconds,
                       q.*
                FROM (SELECT) AS one LEFT JOIN queries q ON true
                ORDER BY q.query_name""".formatted(String.join(" UNION ALL ", freshness), AnalyticsSchema.QUARANTINED_ROWS,
                AnalyticsSchema.STREAM_PROGRESS, AnalyticsSchema.REJECTED_EVENTS), Tuple.tuple());
    }

    /**
     * One read, shared with the identical reads in flight, given up after {@link #QUERY_TIMEOUT}, its failures
     * classified (503 or our bug). Also the audit's reads (dev.shopstream.producer.audit): {@code sql} is fixed
     * text whose names come from the contract, request values only ever in {@code params}.
     */
    public Uni<RowSet<Row>> read(String sql, Tuple params) {
        String key = key(sql, params);
        return Uni.createFrom().deferred(() -> {
            @SuppressWarnings("unchecked")
            Uni<RowSet<Row>>[] self = new Uni[1];
            Uni<RowSet<Row>> read = execute(sql, params)
                    .onTermination().invoke(() -> inFlight.remove(key, self[0]))
                    .memoize().indefinitely();
            self[0] = read;
            Uni<RowSet<Row>> running = inFlight.putIfAbsent(key, read);
            return running != null ? running : read;
        });
    }

    /** The SQL and each parameter with its length: two different reads never share a key. */
    private static String key(String sql, Tuple params) {
        StringBuilder key = new StringBuilder(sql);
        for (int i = 0; i < params.size(); i++) {
            String value = String.valueOf(params.getValue(i));
            key.append('\u0000').append(value.length()).append(':').append(value);
        }
        return key.toString();
    }

    private Uni<RowSet<Row>> execute(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params)
                .onSubscription().invoke(subscription -> queries.increment())
                .ifNoItem().after(QUERY_TIMEOUT).failWith(() -> new DatabaseUnavailableException(
                        "the analytics database did not answer within " + QUERY_TIMEOUT.toSeconds() + " s", null))
                .onFailure(failure -> !(failure instanceof DatabaseUnavailableException))
                .transform(DatabaseUnavailableException::classify);
    }

    private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(mapper.apply(row));
        }
        return result;
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

package dev.shopstream.producer.pipeline;

import dev.shopstream.contract.AnalyticsSchema;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.shopstream.producer.analytics.AnalyticsRepository;
import dev.shopstream.producer.analytics.WindowTable;
import dev.shopstream.producer.pipeline.PipelineHealth.QueryHealth;
import dev.shopstream.producer.retention.Retention;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Assembles GET /metrics/pipeline from the job's stream_progress rows and the tables' freshness, read in one
 * statement, with the producer's status ({@link ProducerStatusSource}) and retention's. Every answer is also kept in
 * {@link PipelineHealthCache} for the Prometheus gauges.
 */
@ApplicationScoped
public class PipelineHealthService {

    /** The job's one streaming query, and the tables it writes (all three, in one transaction per batch). */
    static final Map<String, List<String>> TABLES_OF_QUERY = Map.of(AnalyticsSchema.QUERY_NAME, WindowTable.names());

    /** The freshness of one window table. */
    private record TableFreshness(Instant newestUpdate, Double ageSeconds) {
    }

    private final AnalyticsRepository repository;
    private final ProducerStatusSource producer;
    private final PipelineSettings settings;
    private final PipelineHealthCache cache;
    private final Retention retention;

    public PipelineHealthService(AnalyticsRepository repository, ProducerStatusSource producer, PipelineSettings settings,
                                 PipelineHealthCache cache, Retention retention) {
        this.repository = repository;
        this.producer = producer;
        this.settings = settings;
        this.cache = cache;
        this.retention = retention;
    }

    public Uni<PipelineHealth> health() {
        return repository.pipeline().map(this::health).invoke(cache::remember);
    }

    /**
     * The pipeline's health as read at most {@link PipelineSettings#metricsMaxAge()} ago, reading it now (and
     * waiting for it) otherwise; null while the database is unavailable. For the Prometheus scrape, which runs
     * on a worker thread.
     */
    public PipelineHealth recent() {
        return cache.recent(settings.metricsMaxAge(),
                () -> repository.pipeline().map(this::health).await().atMost(AnalyticsRepository.QUERY_TIMEOUT.plusSeconds(1)));
    }

    private PipelineHealth health(RowSet<Row> rows) {
        Row first = rows.iterator().next();
        Map<String, TableFreshness> freshnessByTable = new HashMap<>();
        String[] tables = first.getArrayOfStrings("table_names");
        OffsetDateTime[] newestUpdates = first.getArrayOfOffsetDateTimes("table_newest_updates");
        Double[] ages = first.getArrayOfDoubles("table_age_seconds");
        Double newest = null;
        for (int i = 0; i < tables.length; i++) {
            freshnessByTable.put(tables[i], new TableFreshness(newestUpdates[i] == null ? null : newestUpdates[i].toInstant(), ages[i]));
            if (ages[i] != null && (newest == null || ages[i] < newest)) {
                newest = ages[i];
            }
        }
        ProducerStatus producerStatus = producer.status();
        List<QueryHealth> queries = new ArrayList<>();
        Long offsetsBehind = null;
        for (Row row : rows) {
            if (row.getString("query_name") == null) {
                continue; // the one row of a pipeline without any batch yet
            }
            QueryHealth query = query(row, freshnessByTable, producerStatus);
            queries.add(query);
            if (query.offsetsBehindLatest() != null) {
                offsetsBehind = (offsetsBehind == null ? 0 : offsetsBehind) + query.offsetsBehindLatest();
            }
        }
        return new PipelineHealth(overall(queries), AnalyticsRepository.instant(first, "checked_at"), newest, offsetsBehind,
                first.getLong("rejected_events"), first.getLong("quarantined_total"), producerStatus, queries, retention.status());
    }

    private QueryHealth query(Row row, Map<String, TableFreshness> freshnessByTable, ProducerStatus producerStatus) {
        String name = row.getString("query_name");
        List<String> tables = TABLES_OF_QUERY.getOrDefault(name, List.of());
        // The query's freshness is that of the table it updated last.
        TableFreshness freshness = null;
        for (String table : tables) {
            TableFreshness candidate = freshnessByTable.get(table);
            if (candidate != null && candidate.ageSeconds() != null
                    && (freshness == null || candidate.ageSeconds() < freshness.ageSeconds())) {
                freshness = candidate;
            }
        }
        double sinceLastBatch = row.getDouble("seconds_since_last_batch");
        String status = sinceLastBatch <= settings.stalledAfter().toSeconds() ? "running" : producerStatus.paused() ? "idle" : "stalled";
        return new QueryHealth(name, tables, status, row.getLong("batch_id"), AnalyticsRepository.instant(row, "batch_time"),
                row.getLong("batch_duration_ms"), row.getLong("input_rows"), row.getDouble("rows_per_second"), sinceLastBatch,
                row.getLong("offsets_behind_latest"), row.getLong("batches"), row.getLong("total_input_rows"),
                row.getLong("late_rows_dropped"), row.getLong("rejected_rows"), row.getLong("quarantined_rows"),
                freshness == null ? null : freshness.newestUpdate(), freshness == null ? null : freshness.ageSeconds());
    }

    private static String overall(List<QueryHealth> queries) {
        if (queries.isEmpty()) {
            return "waiting_for_data";
        }
        if (queries.stream().anyMatch(q -> q.status().equals("stalled"))) {
            return "stalled";
        }
        return queries.stream().allMatch(q -> q.status().equals("idle")) ? "idle" : "running";
    }
}

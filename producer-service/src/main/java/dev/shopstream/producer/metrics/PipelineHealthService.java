package dev.shopstream.producer.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.shopstream.producer.generator.ProducerStatus;
import dev.shopstream.producer.generator.TrafficEmitter;
import dev.shopstream.producer.metrics.PipelineHealth.QueryHealth;
import dev.shopstream.producer.retention.Retention;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Assembles GET /metrics/pipeline from the job's stream_progress rows, the tables' freshness and the producer. */
@ApplicationScoped
public class PipelineHealthService {

    /** Which table each of the job's streaming queries writes. */
    static final Map<String, String> TABLE_OF_QUERY = Map.of(
            "product_views", WindowTable.PRODUCT_VIEWS.table,
            "category_activity", WindowTable.CATEGORY_ACTIVITY.table,
            "category_revenue", WindowTable.CATEGORY_REVENUE.table);

    private final AnalyticsRepository repository;
    private final TrafficEmitter producer;
    private final Duration stalledAfter;
    private final Retention retention;

    public PipelineHealthService(AnalyticsRepository repository, TrafficEmitter producer, Retention retention,
                                 @ConfigProperty(name = "pipeline.stalled-after", defaultValue = "60s") Duration stalledAfter) {
        this.repository = repository;
        this.producer = producer;
        this.retention = retention;
        this.stalledAfter = stalledAfter;
    }

    public Uni<PipelineHealth> health() {
        return Uni.combine().all()
                .unis(repository.progress(), repository.tableFreshness(), repository.rejectedEvents(), repository.databaseNow())
                .with((progress, freshness, rejected, now) -> {
                    Map<String, Row> freshnessByTable = new HashMap<>();
                    Double newest = null;
                    for (Row row : freshness) {
                        freshnessByTable.put(row.getString("table_name"), row);
                        Double age = row.getDouble("age_seconds");
                        if (age != null && (newest == null || age < newest)) {
                            newest = age;
                        }
                    }
                    ProducerStatus producerStatus = producer.status();
                    List<QueryHealth> queries = new ArrayList<>();
                    for (Row row : progress) {
                        queries.add(query(row, freshnessByTable, producerStatus));
                    }
                    return new PipelineHealth(overall(queries), now, newest, rejected, producerStatus, queries, retention.status());
                });
    }

    private QueryHealth query(Row row, Map<String, Row> freshnessByTable, ProducerStatus producerStatus) {
        String name = row.getString("query_name");
        String table = TABLE_OF_QUERY.get(name);
        Row tableRow = table == null ? null : freshnessByTable.get(table);
        double sinceLastBatch = row.getDouble("seconds_since_last_batch");
        String status = sinceLastBatch <= stalledAfter.toSeconds() ? "running" : producerStatus.paused() ? "idle" : "stalled";
        return new QueryHealth(name, table, status, row.getLong("batch_id"), AnalyticsRepository.instant(row, "batch_time"),
                row.getLong("batch_duration_ms"), row.getLong("input_rows"), row.getDouble("rows_per_second"), sinceLastBatch,
                row.getLong("batches"), row.getLong("total_input_rows"), row.getLong("late_rows_dropped"), row.getLong("rejected_rows"),
                tableRow == null ? null : AnalyticsRepository.instant(tableRow, "newest_update"),
                tableRow == null ? null : tableRow.getDouble("age_seconds"));
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

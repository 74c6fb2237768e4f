package dev.shopstream.producer.monitoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.producer.metrics.PipelineHealth;
import dev.shopstream.producer.metrics.PipelineHealth.QueryHealth;
import dev.shopstream.producer.metrics.PipelineHealthCache;
import dev.shopstream.producer.metrics.PipelineHealthService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The pipeline as the service reads it (GET /metrics/pipeline), as Prometheus meters under
 * {@code shopstream_pipeline_}: per streaming query (label {@code query}, whatever names stream_progress holds)
 * the lag, the latest batch's duration and age, its status, and the row counters; for the whole pipeline its
 * status, freshness and the rows the quarantine holds. A scrape reads the pipeline at most once ({@link PipelineHealthService#recent()}); a
 * gauge is NaN while the database is unavailable, a counter keeps its last value.
 *
 * <p>A query's meters are registered when the service first reads it (at start-up, or by any read since), and
 * removed when it is no longer in stream_progress. Its lag gauge exists only while its latest batch reports the
 * lag (a batch recorded without it has no series rather than NaN, so that {@code sum()} over queries works).
 */
@Startup
@ApplicationScoped
public class PipelineMeters {

    static final String PREFIX = "shopstream.pipeline.";
    /** The statuses a query can have (see {@link PipelineHealth}); the pipeline can also be waiting for data. */
    static final List<String> QUERY_STATUSES = List.of("running", "idle", "stalled");
    static final List<String> PIPELINE_STATUSES = List.of("waiting_for_data", "running", "idle", "stalled");

    private final MeterRegistry registry;
    private final PipelineHealthService pipeline;
    private final PipelineHealthCache cache;
    /** The meters of each query registered so far. */
    private final Map<String, List<Meter>> queryMeters = new HashMap<>();
    /** The lag gauge of each query whose latest batch reports its lag. */
    private final Map<String, Meter> lagMeters = new HashMap<>();

    public PipelineMeters(MeterRegistry registry, PipelineHealthService pipeline, PipelineHealthCache cache) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.cache = cache;
        for (String status : PIPELINE_STATUSES) {
            Gauge.builder(PREFIX + "status", this, self -> self.pipelineGauge(h -> h.status().equals(status) ? 1 : 0))
                    .tag("status", status).description("1 for the pipeline's status (GET /metrics/pipeline), 0 for the others")
                    .register(registry);
        }
        Gauge.builder(PREFIX + "freshness", this, self -> self.pipelineGauge(h -> orNaN(h.freshnessSeconds())))
                .baseUnit("seconds").description("Age of the newest update of any window table").register(registry);
        Gauge.builder(PREFIX + "quarantined.rows", this, self -> self.pipelineGauge(PipelineHealth::quarantinedRows))
                .description("Rows the database refused that the quarantine (the table " + AnalyticsSchema.QUARANTINED_ROWS + ") holds now").register(registry);
        cache.onRead(this::track);
        // Learn the query names now, so that the first scrape has them; a database that is not there yet is fine.
        pipeline.health().subscribe().with(health -> { }, failure -> { });
    }

    /** Registers the meters of queries seen for the first time, and removes those of queries gone. */
    synchronized void track(PipelineHealth health) {
        Set<String> present = new HashSet<>();
        Set<String> withLag = new HashSet<>();
        for (QueryHealth query : health.queries()) {
            present.add(query.queryName());
            queryMeters.computeIfAbsent(query.queryName(), this::register);
            if (query.offsetsBehindLatest() != null) {
                withLag.add(query.queryName());
                lagMeters.computeIfAbsent(query.queryName(), name -> gauge(name, "offsets.behind.latest", null,
                        "Kafka offsets the query was behind the end of the topic when its latest batch ended, summed over partitions",
                        q -> orNaN(q.offsetsBehindLatest())));
            }
        }
        removeAllBut(present, queryMeters, meters -> meters.forEach(registry::remove));
        removeAllBut(withLag, lagMeters, registry::remove);
    }

    /** Drops the entries of queries not in {@code kept}, unregistering their meters. */
    private static <M> void removeAllBut(Set<String> kept, Map<String, M> metersByQuery, Consumer<M> unregister) {
        metersByQuery.entrySet().removeIf(entry -> {
            if (kept.contains(entry.getKey())) {
                return false;
            }
            unregister.accept(entry.getValue());
            return true;
        });
    }

    private List<Meter> register(String name) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(name, "last.batch.duration", "seconds", "Duration of the query's latest batch",
                q -> q.lastBatchDurationMs() / 1000.0));
        meters.add(gauge(name, "last.batch.age", "seconds", "Time since the query's latest batch",
                QueryHealth::secondsSinceLastBatch));
        for (String status : QUERY_STATUSES) {
            meters.add(Gauge.builder(PREFIX + "query.status", this, self -> self.queryGauge(name, q -> q.status().equals(status) ? 1 : 0))
                    .tags("query", name, "status", status).description("1 for the query's status, 0 for the others")
                    .register(registry));
        }
        meters.add(counter(name, "batches", "Batches the query has recorded", q -> q.batches()));
        meters.add(counter(name, "input.rows", "Kafka records the query has read", q -> q.inputRows()));
        meters.add(counter(name, "late.rows.dropped", "Rows dropped as later than the watermark", q -> q.lateRowsDropped()));
        meters.add(counter(name, "rejected.rows", "Messages rejected as not valid events", q -> q.rejectedRows()));
        // Not "quarantined.rows": Prometheus would name this counter's family shopstream_pipeline_quarantined_rows,
        // the name of the gauge above, and one name cannot be two metrics.
        meters.add(counter(name, "rows.quarantined", "Rows of the query's batches the database refused, quarantined",
                q -> q.quarantinedRows()));
        return meters;
    }

    private Gauge gauge(String query, String name, String unit, String description, ToDoubleFunction<QueryHealth> value) {
        return Gauge.builder(PREFIX + name, this, self -> self.queryGauge(query, value))
                .tag("query", query).baseUnit(unit).description(description).register(registry);
    }

    private FunctionCounter counter(String query, String name, String description, ToDoubleFunction<QueryHealth> value) {
        return FunctionCounter.builder(PREFIX + name, this, self -> self.queryCounter(query, value))
                .tag("query", query).description(description).register(registry);
    }

    private double pipelineGauge(ToDoubleFunction<PipelineHealth> value) {
        PipelineHealth health = pipeline.recent();
        return health == null ? Double.NaN : value.applyAsDouble(health);
    }

    private double queryGauge(String query, ToDoubleFunction<QueryHealth> value) {
        return valueOf(pipeline.recent(), query, value);
    }

    /** Counters are cumulative: during an outage they keep the last value read, rather than breaking the series. */
    private double queryCounter(String query, ToDoubleFunction<QueryHealth> value) {
        PipelineHealth health = pipeline.recent();
        return valueOf(health != null ? health : cache.latestGood(), query, value);
    }

    private static double valueOf(PipelineHealth health, String query, ToDoubleFunction<QueryHealth> value) {
        if (health == null) {
            return Double.NaN;
        }
        for (QueryHealth q : health.queries()) {
            if (q.queryName().equals(query)) {
                return value.applyAsDouble(q);
            }
        }
        return Double.NaN;
    }

    private static double orNaN(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }
}

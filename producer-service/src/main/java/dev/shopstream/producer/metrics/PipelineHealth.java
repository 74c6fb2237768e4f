package dev.shopstream.producer.metrics;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.producer.generator.ProducerStatus;
import dev.shopstream.producer.retention.RetentionStatus;

/**
 * GET /metrics/pipeline. {@code status}: {@code waiting_for_data} before the job's first batch,
 * {@code running}, {@code idle} (no batch lately, and the producer is paused), {@code stalled} (no batch
 * lately although the producer is sending: the job is down or stuck). {@code offsets_behind_latest}: the
 * consumer lag, summed over the queries that report it (null when none does). {@code rejected_events} and
 * {@code quarantined_rows}: the rows those tables hold now (retention deletes old ones). {@code retention}: what the
 * service keeps and has deleted.
 */
@JsonPropertyOrder({"status", "checked_at", "freshness_seconds", "offsets_behind_latest", "rejected_events", "quarantined_rows", "producer", "queries", "retention"})
public record PipelineHealth(@Schema(enumeration = {"waiting_for_data", "running", "idle", "stalled"}) String status,
                             Instant checkedAt, @Schema(nullable = true) Double freshnessSeconds, @Schema(nullable = true) Long offsetsBehindLatest,
                             @Schema(description = "Messages the job rejected as not valid events: the rows of the table "
                                     + AnalyticsSchema.REJECTED_EVENTS)
                             long rejectedEvents,
                             @Schema(description = "Rows of the job's batches the database refused (a value a column or a constraint "
                                     + "refuses), kept with their error instead of failing the batch: the rows of the table "
                                     + AnalyticsSchema.QUARANTINED_ROWS + ". They are missing from the window tables; 0 normally")
                             long quarantinedRows,
                             ProducerStatus producer, List<QueryHealth> queries, RetentionStatus retention) {

    /**
     * One streaming query of the job: its latest batch, its totals, and the freshness of the tables it writes.
     * {@code offsets_behind_latest}: how far its Kafka source was behind the end of the topic when its latest
     * batch ended, summed over partitions (null for a batch recorded without it).
     */
    @JsonPropertyOrder({"query_name", "tables", "status", "last_batch_id", "last_batch_time", "last_batch_duration_ms", "last_batch_input_rows", "rows_per_second", "seconds_since_last_batch", "offsets_behind_latest", "batches", "input_rows", "late_rows_dropped", "rejected_rows", "quarantined_rows", "newest_update", "freshness_seconds"})
    public record QueryHealth(String queryName, List<String> tables,
                              @Schema(enumeration = {"running", "idle", "stalled"}) String status, long lastBatchId, Instant lastBatchTime,
                              long lastBatchDurationMs, long lastBatchInputRows, double rowsPerSecond,
                              double secondsSinceLastBatch, @Schema(nullable = true) Long offsetsBehindLatest, long batches,
                              long inputRows, long lateRowsDropped, long rejectedRows,
                              @Schema(description = "Rows of the query's batches the database refused and the job quarantined, "
                                      + "over all its batches (the sum of " + AnalyticsSchema.STREAM_PROGRESS + ".quarantined_rows)")
                              long quarantinedRows,
                              @Schema(nullable = true) Instant newestUpdate, @Schema(nullable = true) Double freshnessSeconds) {
    }
}

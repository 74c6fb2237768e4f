package dev.shopstream.producer.retention;

import dev.shopstream.contract.AnalyticsSchema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Deletes old analytics rows in the background, so the tables stop growing: window rows older than
 * {@code retention.window-rows}, rejected events older than {@code retention.rejected-events}, quarantined rows
 * older than {@code retention.quarantined-rows}.
 *
 * <p>It never blocks the job's writes or the API: each batch is one short DELETE of at most
 * {@code retention.batch-size} rows (its own transaction), which skips rows the job has locked in a transaction
 * in flight ({@code FOR UPDATE SKIP LOCKED}; those are fresh rows anyway), and readers never wait for a DELETE
 * (MVCC). Batches run one after the other on one pooled connection, off the request path.
 */
@ApplicationScoped
public class Retention {

    /**
     * The tables whose rows are per event-time window (deleted by {@code window_start}, the first column of their
     * primary key, so each batch reads an index range). A new window table is one more name here.
     */
    static final List<String> WINDOW_TABLES = List.of(AnalyticsSchema.WINDOW_TOTALS, AnalyticsSchema.PRODUCT_VIEW_WINDOW,
            AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, AnalyticsSchema.CATEGORY_REVENUE_WINDOW,
            // The audit's rows are per window too (late_events by its window_start index): they go with their windows.
            AnalyticsSchema.AUDIT_WINDOW, AnalyticsSchema.LATE_EVENTS);
    static final String REJECTED_EVENTS = AnalyticsSchema.REJECTED_EVENTS;
    static final String QUARANTINED_ROWS = AnalyticsSchema.QUARANTINED_ROWS;

    private final Pool pool;
    private final RetentionSettings settings;
    private final AtomicLong windowRowsDeleted = new AtomicLong();
    private final AtomicLong rejectedEventsDeleted = new AtomicLong();
    private final AtomicLong quarantinedRowsDeleted = new AtomicLong();
    private final AtomicReference<Instant> lastRun = new AtomicReference<>();

    public Retention(Pool pool, RetentionSettings settings) {
        this.pool = pool;
        this.settings = settings;
        if (settings.batchSize() < 1) {
            throw new IllegalArgumentException("retention.batch-size must be at least 1, got " + settings.batchSize());
        }
    }

    /** Every retention.interval (off: never); a run still going when the next is due is not overlapped. */
    @Scheduled(identity = "retention", every = "${retention.interval}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return runOnce().onFailure().recoverWithItem(failure -> {
            // A database outage is reported by the API and readiness; retention simply tries again next time.
            Log.warnf("Retention could not delete old rows this time: %s", failure.getMessage());
            return null;
        }).replaceWithVoid();
    }

    /** One pass over every table: deletes, batch by batch, what is older than its setting. The rows deleted. */
    public Uni<Long> runOnce() {
        Multi<Long> windows = Multi.createFrom().iterable(WINDOW_TABLES)
                .onItem().transformToUniAndConcatenate(table -> deleteOlderThan(table, "window_start", settings.windowRows(), windowRowsDeleted));
        Uni<Long> rejected = deleteOlderThan(REJECTED_EVENTS, "seen_at", settings.rejectedEvents(), rejectedEventsDeleted);
        Uni<Long> quarantined = deleteOlderThan(QUARANTINED_ROWS, "quarantined_at", settings.quarantinedRows(), quarantinedRowsDeleted);
        return windows.collect().with(Collectors.summingLong(Long::longValue))
                .flatMap(w -> rejected.map(r -> w + r))
                .flatMap(wr -> quarantined.map(q -> wr + q))
                .invoke(deleted -> {
                    lastRun.set(Instant.now());
                    if (deleted > 0) {
                        Log.infof("Retention deleted %d old rows", deleted);
                    }
                });
    }

    public RetentionStatus status() {
        return new RetentionStatus(settings.windowRows().toSeconds(), settings.rejectedEvents().toSeconds(),
                settings.quarantinedRows().toSeconds(), windowRowsDeleted.get(), rejectedEventsDeleted.get(),
                quarantinedRowsDeleted.get(), lastRun.get());
    }

    /** Deletes the table's rows whose {@code column} is older than {@code keep}, in batches, until none is left. */
    private Uni<Long> deleteOlderThan(String table, String column, Duration keep, AtomicLong counter) {
        if (keep.isZero() || keep.isNegative()) {
            return Uni.createFrom().item(0L); // 0 keeps everything
        }
        // Table and column names are fixed identifiers of this class; the age and the batch size are bind values.
        String sql = "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
                + " WHERE " + column + " < now() - make_interval(secs => $1) LIMIT $2 FOR UPDATE SKIP LOCKED))";
        return batches(sql, Tuple.of((double) keep.toSeconds(), settings.batchSize()), counter, 0);
    }

    /** One batch, then the next while a batch comes back full; each continues from the previous one's reply. */
    private Uni<Long> batches(String sql, Tuple params, AtomicLong counter, long deletedSoFar) {
        return pool.preparedQuery(sql).execute(params).flatMap(rows -> {
            int deleted = rows.rowCount();
            counter.addAndGet(deleted);
            return deleted < settings.batchSize()
                    ? Uni.createFrom().item(deletedSoFar + deleted)
                    : batches(sql, params, counter, deletedSoFar + deleted);
        });
    }
}

package dev.shopstream.analytics.sink;

import java.util.List;

import org.apache.spark.sql.Row;

import dev.shopstream.analytics.checkpoint.BatchPosition;

/**
 * What one micro-batch writes: its own sums per (window, product, category) (rows of
 * {@code WindowAggregations.totalsOf}, added to what the stored totals hold), how many records
 * it rejected (stored by the tasks that read them) and how many re-delivered copies it dropped, and where it stands in the stream (null for a batch job, which
 * records no progress).
 */
public record AnalyticsBatch(long batchId, List<Row> windowTotals, long rejectedCount, long duplicateCount, BatchPosition position) {

    public boolean isEmpty() {
        return windowTotals.isEmpty() && position == null;
    }
}

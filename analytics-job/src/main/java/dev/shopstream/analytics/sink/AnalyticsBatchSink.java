package dev.shopstream.analytics.sink;

import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import dev.shopstream.analytics.checkpoint.BatchPosition;
import dev.shopstream.analytics.checkpoint.OffsetLog;

/**
 * The query's foreachBatch: sums the micro-batch's first copies and runs it once (one action, so nothing needs
 * persisting), takes what its tasks counted ({@link BatchCounters}: the records they rejected and stored, the
 * re-delivered copies they dropped) and its position from the offset log, and hands all of it to the
 * {@link AnalyticsWriter} as one transaction. Runs on the driver.
 */
public final class AnalyticsBatchSink implements VoidFunction2<Dataset<Row>, Long> {

    private final UnaryOperator<Dataset<Row>> totalsOfBatch;
    private final AnalyticsWriter writer;
    private final BatchCounters counters;
    private final String checkpointLocation;

    /**
     * @param totalsOfBatch the batch's sums per (window, product, category), from what the query gives each batch
     */
    public AnalyticsBatchSink(UnaryOperator<Dataset<Row>> totalsOfBatch, AnalyticsWriter writer, BatchCounters counters, String checkpointLocation) {
        this.totalsOfBatch = totalsOfBatch;
        this.writer = writer;
        this.counters = counters;
        this.checkpointLocation = checkpointLocation;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) throws Exception {
        counters.reset();
        // Collected once: a bounded set (one row per key the batch touched), and a retry of the write reuses these
        // rows instead of recomputing the stateful batch.
        List<Row> totals = totalsOfBatch.apply(batch).collectAsList();
        BatchPosition position = new OffsetLog(checkpointLocation, batch.sparkSession().sparkContext().hadoopConfiguration())
                .position(batchId);
        writer.write(new AnalyticsBatch(batchId, totals, counters.rejected().value(), counters.duplicates().value(), position));
    }
}

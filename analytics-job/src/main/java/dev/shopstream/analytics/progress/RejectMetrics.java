package dev.shopstream.analytics.progress;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import dev.shopstream.analytics.events.EventParser;

/**
 * Counts the records of each micro-batch and how many of them were rejected, as named observed metrics
 * ({@link Dataset#observe}): Spark computes them while the batch runs, with no extra pass over the data,
 * and hands them to the listener in {@link StreamingQueryProgress#observedMetrics()}.
 */
public final class RejectMetrics {

    public static final String INPUT_ROWS = "input_rows";
    public static final String REJECTED_ROWS = "rejected_rows";

    private RejectMetrics() {
    }

    /** The observation's name for a query; a name of its own keeps it apart from other observations. */
    public static String observationName(String queryName) {
        return queryName + "_parsed";
    }

    /** Observes parsed records (the output of {@link EventParser#parse}); the data passes through unchanged. */
    public static Dataset<Row> observe(Dataset<Row> parsed, String queryName) {
        return parsed.observe(observationName(queryName),
                count(lit(1)).as(INPUT_ROWS),
                count(when(col(EventParser.REJECT_REASON).isNotNull(), lit(1))).as(REJECTED_ROWS));
    }

    /** The rejected count of a progress report; 0 when the batch had no observation (no data). */
    public static long rejectedRows(StreamingQueryProgress progress) {
        Row metrics = progress.observedMetrics() == null ? null : progress.observedMetrics().get(observationName(progress.name()));
        if (metrics == null) {
            return 0;
        }
        int index = metrics.fieldIndex(REJECTED_ROWS);
        return metrics.isNullAt(index) ? 0 : metrics.getLong(index);
    }
}

package dev.shopstream.analytics.sink;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * What a micro-batch counts as its tasks run, for its progress row: the records it rejected (stored by the tasks
 * that found them) and the re-delivered copies it dropped. Spark merges the tasks' counts into the driver's before the
 * batch's job returns; the sink resets them before each batch.
 */
public final class BatchCounters {

    private final LongAccumulator rejected;
    private final LongAccumulator duplicates;

    private BatchCounters(LongAccumulator rejected, LongAccumulator duplicates) {
        this.rejected = rejected;
        this.duplicates = duplicates;
    }

    /** One pair per streaming query, registered with the session's SparkContext. */
    public static BatchCounters register(SparkSession spark, String queryName) {
        return new BatchCounters(spark.sparkContext().longAccumulator(queryName + "_rejected_records"),
                spark.sparkContext().longAccumulator(queryName + "_duplicates_dropped"));
    }

    public LongAccumulator rejected() {
        return rejected;
    }

    public LongAccumulator duplicates() {
        return duplicates;
    }

    /** Forgets the counts of earlier batches. */
    public void reset() {
        rejected.reset();
        duplicates.reset();
    }
}

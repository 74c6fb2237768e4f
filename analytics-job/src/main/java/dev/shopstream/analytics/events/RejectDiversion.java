package dev.shopstream.analytics.events;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Keeps the rejected records of the ONE streaming query aside while the valid events go on to the watermark
 * and the aggregation: Spark has no side outputs, and a second query would read and parse every record again.
 *
 * <p>The filter in front of the aggregation hands each rejected record to a Spark accumulator as the batch's
 * first stage reads it. Spark merges accumulator updates of successful tasks into the driver's copy before the
 * batch's job returns, so once the sink has collected the batch's output, {@link #drain()} holds every record
 * the batch rejected. A retried or speculative task can add a record twice: {@link #drain()} keeps one per
 * Kafka position. Only valid rows skip the function (the left side of the OR is true); a rejected record costs
 * one call, a valid one nothing.
 *
 * <p>The records travel to the driver with the tasks' results, so a batch's rejects are held in the driver's
 * memory until its transaction commits: bounded by MAX_OFFSETS_PER_TRIGGER records per batch.
 */
public final class RejectDiversion {

    private final CollectionAccumulator<RejectedRecord> diverted;

    private RejectDiversion(CollectionAccumulator<RejectedRecord> diverted) {
        this.diverted = diverted;
    }

    /** One per streaming query: registers its accumulator with the session's SparkContext. */
    public static RejectDiversion register(SparkSession spark, String name) {
        return new RejectDiversion(spark.sparkContext().collectionAccumulator(name + "_rejected_records"));
    }

    /**
     * The valid records of parsed input ({@link EventParser#parse}, with Kafka's topic, partition and offset),
     * with exactly the {@link EventParser#EVENT_COLUMNS}; every other record goes to the accumulator.
     */
    public Dataset<Row> validEvents(Dataset<Row> parsed) {
        CollectionAccumulator<RejectedRecord> sink = diverted;
        UserDefinedFunction keepIfValid = udf((UDF5<String, Integer, Long, String, String, Boolean>) (topic, partition, offset, raw, reason) -> {
            if (reason == null) {
                return true;
            }
            sink.add(new RejectedRecord(topic, partition, offset, raw, reason));
            return false;
        }, DataTypes.BooleanType).asNondeterministic().withName("keep_if_valid");
        Dataset<Row> valid = parsed.filter(col(EventParser.REJECT_REASON).isNull().or(keepIfValid.apply(
                col("topic"), col("partition"), col("offset"), col(EventParser.RAW_PAYLOAD), col(EventParser.REJECT_REASON))));
        return EventParser.eventColumns(valid);
    }

    /** Forgets what earlier batches diverted: called by the sink before it runs a batch. */
    public void reset() {
        diverted.reset();
    }

    /** The records the batch rejected, one per Kafka position, in the order they came. */
    public List<RejectedRecord> drain() {
        Map<String, RejectedRecord> byPosition = new LinkedHashMap<>();
        for (RejectedRecord record : diverted.value()) {
            byPosition.putIfAbsent(record.position(), record);
        }
        diverted.reset();
        return new ArrayList<>(byPosition.values());
    }
}

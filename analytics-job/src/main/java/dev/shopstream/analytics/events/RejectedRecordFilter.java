package dev.shopstream.analytics.events;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.RejectedPayload;

/**
 * The filter between the parser and the aggregation of the ONE streaming query: valid events go on, and every
 * other record is written to {@code rejected_events} by the task that read it ({@link RejectedRecordWriter}), a
 * chunk at a time, and counted. Spark has no side outputs, and a second query would read and parse every record
 * again; collecting the rejects on the driver would hold a whole batch of them, payloads included, in its memory.
 *
 * <p>What is kept of a payload is capped ({@link RejectedPayload}: the first bytes, the length and the SHA-256).
 * Only valid rows skip the function (the left side of the OR is true); a rejected record costs one call.
 * A batch's rejects are stored before its transaction commits; their count goes into the batch's progress row.
 */
public final class RejectedRecordFilter {

    private final LongAccumulator rejectedInBatch;
    private final JdbcTarget target;
    private final int maxPayloadBytes;

    /** @param rejectedInBatch counts the records stored, for the batch's progress row (the sink resets it per batch) */
    public RejectedRecordFilter(LongAccumulator rejectedInBatch, JdbcTarget target, int maxPayloadBytes) {
        this.rejectedInBatch = rejectedInBatch;
        this.target = target;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * The valid records of parsed input ({@link EventParser#parse}, with Kafka's value, topic, partition and
     * offset), with exactly the {@link dev.shopstream.contract.EventContract#FIELDS}; every other record is stored and counted.
     */
    public Dataset<Row> validEvents(Dataset<Row> parsed) {
        LongAccumulator counter = rejectedInBatch;
        JdbcTarget database = target;
        int cap = maxPayloadBytes;
        UserDefinedFunction keepIfValid = udf((UDF5<String, Integer, Long, byte[], String, Boolean>) (topic, partition, offset, value, reason) -> {
            if (reason == null) {
                return true;
            }
            RejectedRecordWriter.write(database, new RejectedRecord(topic, partition, offset, RejectedPayload.of(value, cap), reason));
            counter.add(1);
            return false;
        }, DataTypes.BooleanType).asNondeterministic().withName("keep_if_valid");
        Dataset<Row> valid = parsed.filter(col(EventParser.REJECT_REASON).isNull().or(keepIfValid.apply(
                col("topic"), col("partition"), col("offset"), col("value").cast(DataTypes.BinaryType), col(EventParser.REJECT_REASON))));
        return EventParser.eventColumns(valid);
    }
}

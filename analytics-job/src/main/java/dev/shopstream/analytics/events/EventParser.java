package dev.shopstream.analytics.events;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.udf;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

import dev.shopstream.contract.EventContract;

/**
 * Turns Kafka records into typed events, and marks every record that is not a valid event with a reason instead of
 * failing. Each record's value is read once, in one pass, by the job's own reader of the contract
 * ({@link EventJsonReader}), called as a Java UDF. Pure DataFrame code: the same functions serve the streaming job
 * and batch reads ({@code spark.read().format("kafka")}, or any DataFrame with a {@code value} column, binary as
 * Kafka gives it or text).
 */
public final class EventParser {

    /** Null for a valid event, else one of the contract's reject reasons. */
    public static final String REJECT_REASON = "reject_reason";

    /** Exact money: 6 integer digits and cents. Sums of it stay decimal (never double). */
    public static final DecimalType PRICE_TYPE = DataTypes.createDecimalType(8, 2);

    /** Where Kafka holds a record (its column names in Spark's Kafka source): what makes a copy the first one. */
    public static final List<String> POSITION_COLUMNS = List.of("partition", "offset");

    private static final String READING = "_reading";
    private static final String EVENT_TIME_MICROS = "event_time_micros";
    /** What the reader gives per record: the event's fields (null for a rejected record) and the reason. */
    private static final StructType READING_TYPE = new StructType()
            .add(EventContract.EVENT_ID, DataTypes.StringType)
            .add(EventContract.EVENT_TYPE, DataTypes.StringType)
            .add(EventContract.USER_ID, DataTypes.StringType)
            .add(EventContract.PRODUCT_ID, DataTypes.StringType)
            .add(EventContract.CATEGORY, DataTypes.StringType)
            .add(EventContract.PRICE, PRICE_TYPE)
            .add(EVENT_TIME_MICROS, DataTypes.LongType)
            .add(REJECT_REASON, DataTypes.StringType);
    private static final ThreadLocal<EventJsonReader> READERS = ThreadLocal.withInitial(EventJsonReader::new);
    /**
     * Non-deterministic for Spark's optimizer only: so that it computes the reading once per record and never
     * copies the call into each place a field of it is used. The reading itself depends on the value alone.
     */
    private static final UserDefinedFunction READ_EVENT = udf((UDF1<byte[], Row>) EventParser::reading, READING_TYPE)
            .asNondeterministic().withName("read_event");

    private EventParser() {
    }

    /**
     * Adds the typed event columns ({@link EventContract#FIELDS}) and {@link #REJECT_REASON} to the input, which needs a
     * {@code value} column. Other input columns (Kafka's topic, partition, offset...) are kept.
     */
    public static Dataset<Row> parse(Dataset<Row> kafkaRows) {
        Column reading = col(READING);
        return kafkaRows
                .withColumn(READING, READ_EVENT.apply(col("value").cast(DataTypes.BinaryType)))
                .withColumn(REJECT_REASON, reading.getField(REJECT_REASON))
                .withColumn(EventContract.EVENT_ID, reading.getField(EventContract.EVENT_ID))
                .withColumn(EventContract.EVENT_TYPE, reading.getField(EventContract.EVENT_TYPE))
                .withColumn(EventContract.USER_ID, reading.getField(EventContract.USER_ID))
                .withColumn(EventContract.PRODUCT_ID, reading.getField(EventContract.PRODUCT_ID))
                .withColumn(EventContract.CATEGORY, reading.getField(EventContract.CATEGORY))
                .withColumn(EventContract.PRICE, reading.getField(EventContract.PRICE))
                .withColumn(EventContract.EVENT_TIME, timestamp_micros(reading.getField(EVENT_TIME_MICROS)))
                .drop(READING);
    }

    private static Row reading(byte[] value) {
        EventJsonReader.Reading r = READERS.get().read(value);
        return r.reason() != null ? RowFactory.create(null, null, null, null, null, null, null, r.reason())
                : RowFactory.create(r.eventId(), r.eventType(), r.userId(), r.productId(), r.category(), r.price(), r.eventTimeMicros(), null);
    }

    /** The events that passed every check, with exactly the {@link EventContract#FIELDS} and {@link #POSITION_COLUMNS}. */
    public static Dataset<Row> validEvents(Dataset<Row> parsed) {
        return eventColumns(parsed.filter(col(REJECT_REASON).isNull()));
    }

    /** Exactly the {@link EventContract#FIELDS} and {@link #POSITION_COLUMNS} of parsed records (already filtered to the valid ones). */
    public static Dataset<Row> eventColumns(Dataset<Row> valid) {
        return valid.select(java.util.stream.Stream.concat(EventContract.FIELDS.stream(), POSITION_COLUMNS.stream())
                .map(name -> col(name)).toArray(Column[]::new));
    }

    /**
     * The records that failed, shaped like {@code rejected_events}: topic, partition, offset (Kafka's column
     * names), raw_payload (the value as text), reason.
     */
    public static Dataset<Row> rejectedEvents(Dataset<Row> parsed) {
        return parsed.filter(col(REJECT_REASON).isNotNull())
                .select(col("topic"), col("partition"), col("offset"), col("value").cast(DataTypes.StringType).as("raw_payload"),
                        col(REJECT_REASON).as("reason"));
    }
}

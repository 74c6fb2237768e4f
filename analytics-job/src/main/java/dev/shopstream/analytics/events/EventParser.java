package dev.shopstream.analytics.events;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.char_length;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.EventRules;
import dev.shopstream.contract.RejectReason;

/**
 * Turns Kafka records into typed events, and marks every record that is not a valid event with a reason
 * instead of failing. Pure DataFrame code: the same functions serve the streaming job and batch reads
 * ({@code spark.read().format("kafka")}, or any DataFrame with a {@code value} column).
 *
 * <p>Spark 4 runs with ANSI mode on, where a plain cast of bad text throws and would stop the query; every
 * conversion here is a {@code try_cast} behind a validity check, or the contract's price rule, which answers null
 * for any text it does not accept, so bad input becomes a reason, never an error.
 */
public final class EventParser {

    public static final String EVENT_ID = EventContract.EVENT_ID;
    public static final String EVENT_TYPE = EventContract.EVENT_TYPE;
    public static final String USER_ID = EventContract.USER_ID;
    public static final String PRODUCT_ID = EventContract.PRODUCT_ID;
    public static final String CATEGORY = EventContract.CATEGORY;
    public static final String PRICE = EventContract.PRICE;
    public static final String EVENT_TIME = EventContract.EVENT_TIME;
    /** Null for a valid event, else one of {@link RejectReason} (the contract's reasons). */
    public static final String REJECT_REASON = "reject_reason";
    /** The Kafka value as text, kept for {@code rejected_events.raw_payload}. */
    public static final String RAW_PAYLOAD = "raw_payload";

    public static final String PRODUCT_VIEW = EventContract.PRODUCT_VIEW;
    public static final String ADD_TO_CART = EventContract.ADD_TO_CART;
    public static final String PURCHASE = EventContract.PURCHASE;
    public static final List<String> EVENT_TYPES = EventContract.EVENT_TYPES;

    public static final int MAX_TEXT_LENGTH = EventContract.MAX_TEXT_LENGTH;
    /** Exact money: 6 integer digits and cents. Sums of it stay decimal (never double). */
    public static final DecimalType PRICE_TYPE = DataTypes.createDecimalType(8, 2);

    /** The valid event's columns, in contract order: the order in which problems are looked for too. */
    public static final List<String> EVENT_COLUMNS = EventContract.FIELDS;
    private static final List<String> TEXT_FIELDS = EventContract.TEXT_FIELDS;

    private static final String JSON = "_json";
    private static final String CORRUPT_RECORD = "_corrupt_record";
    private static final String VALID_PRICE = "_valid_price";
    private static final String INSTANT = "_instant";
    /**
     * Every field is read as text: a value of the wrong JSON type then still parses (a number in price becomes
     * its text) and gets a precise reason from the checks below, instead of turning the whole record corrupt.
     * Only syntax errors and non-objects land in the corrupt-record column.
     */
    static final StructType JSON_SCHEMA = new StructType()
            .add(EVENT_ID, DataTypes.StringType)
            .add(EVENT_TYPE, DataTypes.StringType)
            .add(USER_ID, DataTypes.StringType)
            .add(PRODUCT_ID, DataTypes.StringType)
            .add(CATEGORY, DataTypes.StringType)
            .add(PRICE, DataTypes.StringType)
            .add(EVENT_TIME, DataTypes.StringType)
            .add(CORRUPT_RECORD, DataTypes.StringType);
    /**
     * Strict JSON, as the contract's rules read it (Jackson's defaults): Spark's reader by default also takes
     * 'single-quoted' strings, the escape \' and the tokens NaN and Infinity, none of which is JSON.
     */
    static final Map<String, String> JSON_OPTIONS = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT_RECORD,
            "allowSingleQuotes", "false", "allowNonNumericNumbers", "false");
    /**
     * ISO-8601 date-time with seconds, optional fraction and a mandatory offset: an instant, never a local time.
     * The contract's pattern is the JSON Schema's, where {@code $} is the end of the text; Spark's {@code rlike}
     * is Java's {@code find}, where {@code $} also matches before a final line break, so it ends in {@code \z}.
     */
    private static final String INSTANT_PATTERN = wholeText(EventContract.INSTANT_PATTERN);
    private static final String BLANK_PATTERN = "^\\s*\\z";
    /** Every character of {@code \\s} (tab, line feed, vertical tab, form feed, carriage return, space) sorts before it. */
    private static final String BELOW_BLANK = "!";
    /**
     * The contract's own price rule ({@link EventRules#price}), so that the job and every reference judge a price
     * by the same code. Spark's decimal casts round what lies beyond their scale ("5.0000000000000000001" would pass
     * as 5.00 at scale 18), and four decimal operations per record cost more than one call.
     */
    private static final UserDefinedFunction CONTRACT_PRICE = udf((UDF1<String, BigDecimal>) EventRules::price, PRICE_TYPE)
            .withName("contract_price");

    private EventParser() {
    }

    /**
     * Adds the typed event columns ({@link #EVENT_COLUMNS}), {@link #RAW_PAYLOAD} and {@link #REJECT_REASON} to
     * the input, which needs a {@code value} column (binary, as Kafka gives it, or string). Other input columns
     * (Kafka's topic, partition, offset...) are kept. Names the job's function catalog in the input's session
     * ({@link EventFunctionCatalog}), whose JSON function the parse calls.
     */
    public static Dataset<Row> parse(Dataset<Row> kafkaRows) {
        EventFunctionCatalog.register(kafkaRows.sparkSession());
        Column parsedTime = field(EVENT_TIME).try_cast(DataTypes.TimestampType);
        // The price and the time are converted once, in a projection of their own: their checks and the typed
        // columns use them several times, and Spark would otherwise convert them again for each use (the reason
        // and the typed columns end up in projections on either side of the filter on the reason).
        Dataset<Row> converted = kafkaRows
                .withColumn(RAW_PAYLOAD, col("value").cast(DataTypes.StringType))
                .withColumn(JSON, call_function(EventFunctionCatalog.JSON_FIELDS_CALL, col(RAW_PAYLOAD)))
                .withColumn(VALID_PRICE, CONTRACT_PRICE.apply(field(PRICE)))
                .withColumn(INSTANT, when(field(EVENT_TIME).rlike(INSTANT_PATTERN), parsedTime));
        Column eventTime = when(col(INSTANT).geq(lit(EventContract.EARLIEST_EVENT_TIME)), col(INSTANT));
        return converted
                .withColumn(REJECT_REASON, rejectReason(col(VALID_PRICE).isNotNull(), eventTime))
                .withColumn(EVENT_ID, field(EVENT_ID))
                .withColumn(EVENT_TYPE, field(EVENT_TYPE))
                .withColumn(USER_ID, field(USER_ID))
                .withColumn(PRODUCT_ID, field(PRODUCT_ID))
                .withColumn(CATEGORY, field(CATEGORY))
                .withColumn(PRICE, col(VALID_PRICE))
                .withColumn(EVENT_TIME, eventTime)
                .drop(JSON, VALID_PRICE, INSTANT);
    }

    /**
     * {@code from_json(text, JSON_SCHEMA, JSON_OPTIONS)}, computed by Spark's own JSON classes from the record's
     * bytes where they are plainly UTF-8 ({@link JsonFieldsFunction}): the catalog function the parse calls.
     */
    static JsonFieldsFunction jsonFieldsFunction() {
        return new JsonFieldsFunction(JSON_SCHEMA, JSON_OPTIONS, CORRUPT_RECORD);
    }

    /** The events that passed every check, with exactly the {@link #EVENT_COLUMNS}. */
    public static Dataset<Row> validEvents(Dataset<Row> parsed) {
        return eventColumns(parsed.filter(col(REJECT_REASON).isNull()));
    }

    /** Exactly the {@link #EVENT_COLUMNS} of parsed records (already filtered to the valid ones). */
    public static Dataset<Row> eventColumns(Dataset<Row> valid) {
        return valid.select(EVENT_COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new));
    }

    /**
     * The records that failed, shaped like {@code rejected_events}: topic, partition, offset (Kafka's column
     * names), raw_payload, reason.
     */
    public static Dataset<Row> rejectedEvents(Dataset<Row> parsed) {
        return parsed.filter(col(REJECT_REASON).isNotNull())
                .select(col("topic"), col("partition"), col("offset"), col(RAW_PAYLOAD), col(REJECT_REASON).as("reason"));
    }

    /**
     * The first problem found, looking at the fields in contract order; for each field, "missing" before its
     * value check. Null when there is none.
     */
    private static Column rejectReason(Column validPrice, Column eventTime) {
        Column reason = when(col(JSON).isNull().or(field(CORRUPT_RECORD).isNotNull()), lit(RejectReason.NOT_JSON));
        for (String name : EVENT_COLUMNS) {
            Column value = field(name);
            reason = reason.when(value.isNull(), lit(RejectReason.missingField(name)));
            if (TEXT_FIELDS.contains(name)) {
                // The cheap test first, the exact one only when it passes: a blank text is empty or starts with
                // whitespace, all of which sorts before "!" (binary comparison, no copy); a text of at most
                // MAX_TEXT_LENGTH bytes has at most as many characters (its byte length is known, its
                // character count is counted).
                reason = reason
                        .when(value.lt(BELOW_BLANK).and(value.rlike(BLANK_PATTERN)), lit(RejectReason.emptyField(name)))
                        .when(octet_length(value).gt(MAX_TEXT_LENGTH).and(char_length(value).gt(MAX_TEXT_LENGTH)),
                                lit(RejectReason.tooLongField(name)))
                        .when(value.contains("\u0000"), lit(RejectReason.invalidCharacters(name)));
            } else if (name.equals(EVENT_TYPE)) {
                reason = reason.when(not(value.isin(EVENT_TYPES.toArray())), lit(RejectReason.UNKNOWN_EVENT_TYPE));
            } else if (name.equals(PRICE)) {
                reason = reason.when(not(validPrice), lit(RejectReason.INVALID_PRICE));
            } else if (name.equals(EVENT_TIME)) {
                reason = reason.when(eventTime.isNull(), lit(RejectReason.INVALID_EVENT_TIME));
            }
        }
        return reason;
    }

    private static String wholeText(String pattern) {
        if (!pattern.endsWith("$")) {
            throw new IllegalArgumentException("expected a pattern anchored with $: " + pattern);
        }
        return pattern.substring(0, pattern.length() - 1) + "\\z";
    }

    private static Column not(Column condition) {
        return org.apache.spark.sql.functions.not(condition);
    }

    private static Column field(String name) {
        return col(JSON).getField(name);
    }
}

package dev.shopstream.analytics.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.json.CreateJacksonParser;
import org.apache.spark.sql.catalyst.json.JSONOptions;
import org.apache.spark.sql.catalyst.json.JacksonParser;
import org.apache.spark.sql.catalyst.util.FailureSafeParser;
import org.apache.spark.sql.catalyst.util.PermissiveMode$;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code from_json} with a struct schema in PERMISSIVE mode, computed by the same Spark classes (its
 * {@link JacksonParser} and {@link FailureSafeParser}, built as {@code from_json} builds them), with one difference:
 * a record that is plainly UTF-8 JSON text is parsed from its bytes.
 *
 * <p>Why: {@code from_json} wraps every record in an {@code InputStreamReader}, which allocates an 8 KiB buffer per
 * record, about two thirds of all the job allocated, and has no generated code, so it cuts the read stage in two
 * (docs/benchmarks.md). Spark's own JSON file reader parses from bytes; this does the same for a column. As a
 * catalog function with an {@code invoke} method ({@link EventFunctionCatalog}), it is called from generated code.
 *
 * <p>Only a record that starts with '{', has no zero byte among its first four and is valid UTF-8 takes the byte
 * path: Jackson reads such bytes as UTF-8 without looking for a byte order mark or another encoding, so it sees
 * the characters the reader would. Every other record goes through {@code from_json}'s own reader, so its verdict
 * (a replacement character for an invalid byte, for one) stays exactly Spark's.
 */
public final class JsonFieldsFunction implements ScalarFunction<InternalRow> {

    private static final long serialVersionUID = 1L;
    private static final DataType[] INPUT = {DataTypes.StringType};

    private final StructType schema;
    private final Map<String, String> options;
    private final String corruptRecordColumn;
    /** Built on first use where the function runs (each task deserializes its own copy), as from_json's parser. */
    private transient FailureSafeParser<UTF8String> parser;

    JsonFieldsFunction(StructType schema, Map<String, String> options, String corruptRecordColumn) {
        this.schema = schema;
        this.options = Map.copyOf(options);
        this.corruptRecordColumn = corruptRecordColumn;
    }

    /** Spark's magic method, called from generated code with the record's text: null for null, as from_json. */
    public InternalRow invoke(UTF8String json) {
        if (json == null) {
            return null;
        }
        if (parser == null) {
            parser = newParser();
        }
        Iterator<InternalRow> rows = parser.parse(json);
        return rows.hasNext() ? rows.next() : null;
    }

    /** The same for Spark's other way of calling a function, with its arguments as a row. */
    @Override
    public InternalRow produceResult(InternalRow arguments) {
        return invoke(arguments.isNullAt(0) ? null : arguments.getUTF8String(0));
    }

    private FailureSafeParser<UTF8String> newParser() {
        JSONOptions jsonOptions = new JSONOptions(scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(options)), "UTC",
                corruptRecordColumn);
        StructType fields = new StructType(Arrays.stream(schema.fields())
                .filter(field -> !field.name().equals(jsonOptions.columnNameOfCorruptRecord()))
                .toArray(StructField[]::new));
        // Spark's parser reads a text field that holds another JSON value (a number, an array) as that value
        // written again by Jackson's generator; but from bytes, by default, as the exact input text. The contract
        // measures the generator's text (EventRules), so the exact reading is turned off for this parser alone.
        SQLConf conf = new SQLConf();
        CollectionConverters.asJava(SQLConf.get().getAllConfs()).forEach(conf::setConfString);
        conf.setConfString(SQLConf.JSON_EXACT_STRING_PARSING().key(), "false");
        JacksonParser rawParser = SQLConf.withExistingConf(conf,
                () -> new JacksonParser(fields, jsonOptions, false, scala.collection.immutable.Seq$.MODULE$.empty()));
        return new FailureSafeParser<>(record -> rawParser.parse(record, JsonFieldsFunction::createParser, text -> text),
                PermissiveMode$.MODULE$, schema, jsonOptions.columnNameOfCorruptRecord());
    }

    private static JsonParser createParser(JsonFactory factory, UTF8String record) {
        if (!readableAsUtf8Bytes(record)) {
            return CreateJacksonParser.utf8String(factory, record);
        }
        try {
            return factory.createParser((byte[]) record.getBaseObject(), (int) (record.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET),
                    record.numBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * On a byte array, starting with '{' (so no byte order mark), no zero byte among the first four (Jackson's
     * test for UTF-16 and UTF-32), valid UTF-8.
     */
    private static boolean readableAsUtf8Bytes(UTF8String record) {
        if (!(record.getBaseObject() instanceof byte[]) || record.numBytes() == 0 || record.getByte(0) != '{') {
            return false;
        }
        for (int i = 1; i < Math.min(4, record.numBytes()); i++) {
            if (record.getByte(i) == 0) {
                return false;
            }
        }
        return isAscii(record) || record.isValid();
    }

    /** Eight bytes at a time: most events are ASCII, and Spark's validity check walks them one code point at a time. */
    private static boolean isAscii(UTF8String record) {
        Object base = record.getBaseObject();
        long at = record.getBaseOffset();
        long end = at + record.numBytes();
        for (; at + Long.BYTES <= end; at += Long.BYTES) {
            if ((Platform.getLong(base, at) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; at < end; at++) {
            if (Platform.getByte(base, at) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public DataType[] inputTypes() {
        return INPUT.clone();
    }

    @Override
    public DataType resultType() {
        return schema;
    }

    @Override
    public String name() {
        return EventFunctionCatalog.JSON_FIELDS;
    }
}

package dev.shopstream.analytics.events;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import dev.shopstream.analytics.support.EventJson;
import dev.shopstream.analytics.support.KafkaRows;
import dev.shopstream.analytics.support.SparkTestSession;

/**
 * The parser's JSON function ({@link JsonFieldsFunction}) reads every record exactly as Spark's {@code from_json}
 * with the parser's schema and options reads it: field by field, the corrupt-record column included, whether the
 * record takes the byte path or the reader.
 */
class JsonFieldsFunctionTest {

    private static SparkSession spark;

    @BeforeContainer
    static void startSpark() {
        spark = SparkTestSession.get();
        EventFunctionCatalog.register(spark);
    }

    @Property
    void readsEveryRecordAsFromJsonDoes(@ForAll("records") List<byte[]> values) {
        assertThat(read(values, jsonFields())).isEqualTo(read(values, fromJson()));
    }

    @Example
    void readsRecordsThatAreNotPlainUtf8TextAsFromJsonDoes() {
        byte[] sample = EventJson.SAMPLE.getBytes(StandardCharsets.UTF_8);
        List<byte[]> values = new ArrayList<>(List.of(
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, sample),
                EventJson.SAMPLE.getBytes(StandardCharsets.UTF_16LE),
                EventJson.SAMPLE.getBytes(StandardCharsets.UTF_16BE),
                EventJson.SAMPLE.getBytes(StandardCharsets.UTF_16),
                EventJson.SAMPLE.getBytes(Charset.forName("UTF-32LE")),
                EventJson.SAMPLE.getBytes(Charset.forName("UTF-32BE")),
                concat("{\"event_id\":\"a".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3}, "\"}".getBytes(StandardCharsets.UTF_8)),
                concat("{\"event_id\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        "\"}".getBytes(StandardCharsets.UTF_8)),
                concat("{\"event_id\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC0, (byte) 0x80},
                        "\"}".getBytes(StandardCharsets.UTF_8)),
                new byte[] {'{', 0, '"', 'a'},
                new byte[] {'{'},
                new byte[0],
                (" " + EventJson.SAMPLE).getBytes(StandardCharsets.UTF_8),
                (EventJson.SAMPLE + " trailing").getBytes(StandardCharsets.UTF_8)));
        values.add(null);

        List<Row> expected = read(values, fromJson());
        assertThat(read(values, jsonFields())).isEqualTo(expected);
        // The cases are not trivial: some of them parse, some are corrupt, the null record has no fields at all.
        assertThat(expected.stream().filter(row -> row.get(1) != null && ((Row) row.get(1)).getString(0) != null)).isNotEmpty();
        assertThat(expected.stream().filter(row -> row.get(1) != null && ((Row) row.get(1)).get(7) != null)).isNotEmpty();
        assertThat(expected.get(expected.size() - 1).get(1)).isNull();
    }

    @Provide
    Arbitrary<List<byte[]>> records() {
        Arbitrary<byte[]> valid = GeneratedPayloads.validEvents().map(e -> e.json().getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> mutated = GeneratedPayloads.mutatedEvents().map(p -> p.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> otherEncoding = Arbitraries.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, Charset.forName("UTF-32LE"))
                .flatMap(charset -> GeneratedPayloads.mutatedEvents().map(p -> p.getBytes(charset)));
        return Arbitraries.oneOf(valid, mutated, otherEncoding, GeneratedPayloads.arbitraryBytes()).list().ofMinSize(20).ofMaxSize(40);
    }

    private static Column jsonFields() {
        return call_function(EventFunctionCatalog.JSON_FIELDS_CALL, col("value").cast(DataTypes.StringType));
    }

    private static Column fromJson() {
        return from_json(col("value").cast(DataTypes.StringType), EventParser.JSON_SCHEMA, EventParser.JSON_OPTIONS);
    }

    /** Each record's offset and what the column read, in offset order. */
    private static List<Row> read(List<byte[]> values, Column json) {
        Dataset<Row> rows = KafkaRows.ofBytes(spark, values).select(col("offset"), json.as("json"));
        List<Row> read = new ArrayList<>(rows.collectAsList());
        read.sort((a, b) -> Long.compare(a.getLong(0), b.getLong(0)));
        return read;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}

package dev.shopstream.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import dev.shopstream.analytics.settings.WindowSpec;
import dev.shopstream.analytics.support.KafkaRows;
import dev.shopstream.analytics.support.SparkTestSession;
import dev.shopstream.analytics.windows.WindowAggregations;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.ContractSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.EventRules;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.ReferenceAnalytics.WindowKey;
import dev.shopstream.contract.RejectReason;
import dev.shopstream.contract.ValidEvent;

/**
 * Properties of the job's parser ({@link EventParser}, Spark) over generated input ({@link GeneratedPayloads}):
 * every record gets exactly one verdict, valid or one of the contract's reject reasons, never an exception;
 * the verdict is the contract's ({@link EventRules}, plain Java), whatever the other records of the batch;
 * every event within the contract is accepted and counted.
 *
 * <p>Each try is a batch of records, parsed in one Spark action as the job parses a micro-batch, so each property
 * judges at least 1,000 generated records in seconds (60 tries, {@code jqwik.tries.default} in the pom, of at
 * least 17 records); jqwik shrinks a failing batch
 * to the one record that fails. The failures these properties found are kept as regression tests in
 * {@link EventParserTest}; {@code -Djqwik.seed=...} replays the seed a failure printed.
 */
class EventParserPropertiesTest {

    private static final List<String> DOCUMENTED_REASONS = RejectReason.ofRecord();
    private static SparkSession spark;

    @BeforeContainer
    static void startSpark() {
        spark = SparkTestSession.get();
    }

    @Property
    void everyMutatedEventGetsTheContractsVerdict(@ForAll("mutatedBatches") List<String> payloads) {
        List<String> verdicts = verdicts(utf8(payloads));

        for (int i = 0; i < payloads.size(); i++) {
            assertThat(verdicts.get(i)).as("verdict on %s", payloads.get(i)).isEqualTo(EventRules.judge(payloads.get(i)).reason());
        }
    }

    @Property
    void arbitraryBytesGetOneDocumentedVerdict(@ForAll("byteBatches") List<byte[]> values) {
        List<String> verdicts = verdicts(values);

        for (int i = 0; i < values.size(); i++) {
            String verdict = verdicts.get(i);
            String text = strictUtf8(values.get(i));
            if (text != null) {
                assertThat(verdict).as("verdict on %s", text).isEqualTo(EventRules.judge(text).reason());
            } else if (verdict != null) {
                assertThat(DOCUMENTED_REASONS).as("reasons the contract documents").contains(verdict);
            }
        }
    }

    @Property
    void everyEventWithinTheContractIsAcceptedWithItsValues(@ForAll("validBatches") List<String> payloads) {
        payloads.forEach(payload -> assertThat(ContractSchema.problems(payload)).as("the generator stays within the schema: %s", payload).isEmpty());

        Dataset<Row> parsed = EventParser.parse(KafkaRows.of(spark, payloads));
        List<Row> rows = new ArrayList<>(parsed.select("offset", EventParser.REJECT_REASON, EventContract.EVENT_ID,
                EventContract.EVENT_TYPE, EventContract.USER_ID, EventContract.PRODUCT_ID, EventContract.CATEGORY,
                EventContract.PRICE, EventContract.EVENT_TIME).collectAsList());
        rows.sort((a, b) -> Long.compare(a.getLong(0), b.getLong(0)));

        for (int i = 0; i < payloads.size(); i++) {
            Row row = rows.get(i);
            ValidEvent expected = EventRules.judge(payloads.get(i)).event();
            assertThat(row.getString(1)).as("verdict on %s", payloads.get(i)).isNull();
            assertThat(List.of(row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getString(6)))
                    .as("text of %s", payloads.get(i))
                    .containsExactly(expected.eventId(), expected.eventType(), expected.userId(), expected.productId(), expected.category());
            assertThat(row.getDecimal(7)).as("price of %s", payloads.get(i)).isEqualTo(expected.price());
            // Spark keeps microseconds; the contract allows nanoseconds, which Spark truncates.
            assertThat(((Timestamp) row.get(8)).toInstant()).as("event_time of %s", payloads.get(i))
                    .isEqualTo(expected.eventTime().truncatedTo(ChronoUnit.MICROS));
        }
    }

    /** Eight tries (aggregations cost a Spark job each), of at least 125 events each. */
    @Property(tries = 8)
    void everyEventWithinTheContractIsCountedOnce(@ForAll("countableBatches") List<String> payloads) {
        ReferenceAnalytics expected = new ReferenceAnalytics();
        for (int i = 0; i < payloads.size(); i++) {
            expected.add(payloads.get(i), KafkaRows.TOPIC, 0, i);
        }

        Dataset<Row> totals = WindowAggregations.windowTotals(EventParser.validEvents(EventParser.parse(KafkaRows.of(spark, payloads))),
                WindowSpec.defaults()).cache();
        try {
            assertThat(counts(WindowAggregations.productViewsOf(totals), EventContract.PRODUCT_ID, AnalyticsSchema.VIEW_COUNT))
                    .isEqualTo(expected.productViews);
            assertThat(counts(WindowAggregations.categoryActivityOf(totals), EventContract.CATEGORY, AnalyticsSchema.EVENT_COUNT))
                    .isEqualTo(expected.categoryActivity);
            assertThat(revenue(WindowAggregations.categoryRevenueOf(totals))).isEqualTo(expected.categoryRevenue);
        } finally {
            totals.unpersist();
        }
    }

    /** Forty tries (each runs a Spark job of a task per record) of at least 25 records each. */
    @Property(tries = 40)
    void verdictNeverDependsOnTheOtherRecordsOfTheBatch(@ForAll("mixedBatches") List<byte[]> values) {
        List<String> inBatch = verdicts(values);

        // In the reverse order, each record alone in a partition of its own: one task, one parser, no other record.
        List<byte[]> reversed = new ArrayList<>(values);
        Collections.reverse(reversed);
        List<String> aloneInReverseOrder = verdicts(KafkaRows.ofBytesOnePartitionEach(spark, reversed));
        Collections.reverse(aloneInReverseOrder);

        assertThat(inBatch).isEqualTo(aloneInReverseOrder);
    }

    // ---- generated batches -----------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<String>> mutatedBatches() {
        return GeneratedPayloads.mutatedEvents().list().ofMinSize(17).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<byte[]>> byteBatches() {
        return GeneratedPayloads.arbitraryBytes().list().ofMinSize(17).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<String>> validBatches() {
        return GeneratedPayloads.validEvents().map(GeneratedPayloads.JsonObject::json).list().ofMinSize(17).ofMaxSize(40);
    }

    /** Valid events within twenty minutes, some of them sent twice (a re-delivery), in any order. */
    @Provide
    Arbitrary<List<String>> countableBatches() {
        return GeneratedPayloads.countableEvents().map(GeneratedPayloads.JsonObject::json).list().ofMinSize(125).ofMaxSize(150)
                .flatMap(events -> Arbitraries.integers().between(0, events.size()).list().ofMaxSize(10).map(repeats -> {
                    List<String> sent = new ArrayList<>(events);
                    repeats.forEach(i -> sent.add(events.get(i % events.size())));
                    Collections.shuffle(sent, new java.util.Random(repeats.hashCode()));
                    return sent;
                }));
    }

    /** Valid, mutated and arbitrary records side by side. */
    @Provide
    Arbitrary<List<byte[]>> mixedBatches() {
        Arbitrary<byte[]> valid = GeneratedPayloads.validEvents().map(e -> e.json().getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> mutated = GeneratedPayloads.mutatedEvents().map(p -> p.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(valid, mutated, GeneratedPayloads.arbitraryBytes()).list().ofMinSize(25).ofMaxSize(30);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The parser's verdict on each value, in order: null for a valid event, else its reject reason. */
    private static List<String> verdicts(List<byte[]> values) {
        return verdicts(KafkaRows.ofBytes(spark, values));
    }

    private static List<String> verdicts(Dataset<Row> kafkaRows) {
        List<Row> rows = new ArrayList<>(EventParser.parse(kafkaRows).select("offset", EventParser.REJECT_REASON).collectAsList());
        rows.sort((a, b) -> Long.compare(a.getLong(0), b.getLong(0)));
        return new ArrayList<>(rows.stream().map(row -> row.getString(1)).toList());
    }

    private static List<byte[]> utf8(List<String> payloads) {
        return payloads.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** The text of bytes that are valid UTF-8, else null. */
    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Map<WindowKey, Long> counts(Dataset<Row> rows, String key, String count) {
        Map<WindowKey, Long> counts = new TreeMap<>();
        for (Row row : rows.collectAsList()) {
            counts.put(windowKey(row, key), row.<Long>getAs(count));
        }
        return counts;
    }

    private static Map<WindowKey, BigDecimal> revenue(Dataset<Row> rows) {
        Map<WindowKey, BigDecimal> revenue = new TreeMap<>();
        for (Row row : rows.collectAsList()) {
            revenue.put(windowKey(row, EventContract.CATEGORY), row.<BigDecimal>getAs(AnalyticsSchema.TOTAL_REVENUE));
        }
        return revenue;
    }

    private static WindowKey windowKey(Row row, String key) {
        Instant start = row.<Timestamp>getAs(AnalyticsSchema.WINDOW_START).toInstant();
        Instant end = row.<Timestamp>getAs(AnalyticsSchema.WINDOW_END).toInstant();
        return new WindowKey(start, end, row.getAs(key));
    }
}

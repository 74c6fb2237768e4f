package dev.shopstream.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.shopstream.analytics.support.EventJson;
import dev.shopstream.analytics.support.KafkaRows;
import dev.shopstream.analytics.support.SparkTestSession;
import dev.shopstream.contract.ContractSamples;

/**
 * The event contract between producer-service and this job, checked from the job's side: JSON exactly as the
 * producer emits it must parse as a valid event, value for value.
 */
class EventContractTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkTestSession.get();
    }

    @Test
    void shouldAcceptTheContractSampleExactlyAsWritten() {
        String sample = "{\"event_id\":\"6f1c0e2a-9a4b-4c1e-8d2f-3b5a7c9e1f20\",\"event_type\":\"purchase\",\"user_id\":\"user_0042\","
                + "\"product_id\":\"prod_0007\",\"category\":\"electronics\",\"price\":129.99,\"event_time\":\"2026-11-25T02:31:07.412Z\"}";

        Row event = onlyValidEvent(sample);

        assertThat(event).isEqualTo(row("6f1c0e2a-9a4b-4c1e-8d2f-3b5a7c9e1f20", "purchase", "user_0042", "prod_0007",
                "electronics", "129.99", "2026-11-25T02:31:07.412Z"));
    }

    @Test
    void shouldAcceptEveryEventTypeWithPriceOnEveryType() {
        for (String type : List.of("product_view", "add_to_cart", "purchase")) {
            String json = EventJson.sample().text("event_type", type).raw("price", "19.90").json();

            assertThat(onlyValidEvent(json).getString(1)).isEqualTo(type);
            assertThat(onlyValidEvent(json).getDecimal(5)).isEqualTo(new BigDecimal("19.90"));
        }
    }

    @Test
    void shouldAcceptFreeTextCategoriesWithSpacesPunctuationAndUnicode() {
        for (String category : List.of("home & garden", "Électronique grand public", "玩具 & ゲーム", "beauty \uD83D\uDC84",
                "books / comics", "\"quoted\" category", "back\\slash")) {
            String json = EventJson.sample().text("category", category).json();

            assertThat(onlyValidEvent(json).getString(4)).as(json).isEqualTo(category);
        }
    }

    @Test
    void shouldAcceptPricesFromOneCentToTheHighestCatalogPrice() {
        for (String price : List.of("0.01", "0.1", "1", "9.99", "99999.99")) {
            String json = EventJson.sample().raw("price", price).json();

            assertThat(onlyValidEvent(json).getDecimal(5)).as(json).isEqualByComparingTo(new BigDecimal(price));
        }
    }

    @Test
    void shouldAcceptFieldsInAnyOrderWithExtraFieldsAndWhitespace() {
        String json = "{ \"event_time\" : \"2026-11-25T02:31:07.412Z\",\n  \"price\" : 129.99, \"category\":\"electronics\","
                + " \"product_id\":\"prod_0007\", \"user_id\":\"user_0042\", \"event_type\":\"purchase\","
                + " \"event_id\":\"6f1c0e2a-9a4b-4c1e-8d2f-3b5a7c9e1f20\", \"session_id\": \"s-1\", \"schema_version\": 1 }";

        assertThat(onlyValidEvent(json)).isEqualTo(row("6f1c0e2a-9a4b-4c1e-8d2f-3b5a7c9e1f20", "purchase", "user_0042",
                "prod_0007", "electronics", "129.99", "2026-11-25T02:31:07.412Z"));
    }

    @Test
    void shouldAcceptTimestampsAsJavaInstantPrintsThemWhenMillisecondsAreZero() {
        // Instant.toString() and Jackson's ISO_INSTANT drop a zero fraction: .000 is not written at all.
        String json = EventJson.sample().text("event_time", Instant.parse("2026-11-25T02:31:07.000Z").toString()).json();

        assertThat(((Timestamp) onlyValidEvent(json).get(6)).toInstant()).isEqualTo(Instant.parse("2026-11-25T02:31:07Z"));
    }

    @Test
    void shouldGiveEveryContractSampleItsExpectedVerdict() {
        List<ContractSamples.Sample> samples = ContractSamples.all();
        List<Row> parsed = EventParser.parse(KafkaRows.of(spark, samples.stream().map(ContractSamples.Sample::payload).toList()))
                .select("offset", EventParser.REJECT_REASON).orderBy("offset").collectAsList();

        assertThat(parsed).hasSameSizeAs(samples);
        for (Row row : parsed) {
            ContractSamples.Sample sample = samples.get((int) row.getLong(0));
            assertThat(row.getString(1)).as(sample.name()).isEqualTo(sample.expectedReason());
        }
    }

    private static Row onlyValidEvent(String json) {
        Dataset<Row> parsed = EventParser.parse(KafkaRows.of(spark, List.of(json)));
        assertThat(EventParser.rejectedEvents(parsed).collectAsList()).as("rejects of %s", json).isEmpty();
        // The event's own columns, without its Kafka position.
        List<Row> events = EventParser.validEvents(parsed).drop("partition", "offset").collectAsList();
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static Row row(String id, String type, String user, String product, String category, String price, String time) {
        return org.apache.spark.sql.RowFactory.create(id, type, user, product, category, new BigDecimal(price),
                Timestamp.from(Instant.parse(time)));
    }
}

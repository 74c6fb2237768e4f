package dev.shopstream.producer.generator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopstream.contract.ContractSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.EventRules;
import dev.shopstream.producer.events.EventType;
import dev.shopstream.producer.events.UserEvent;
import dev.shopstream.producer.events.UserEventJson;
import dev.shopstream.producer.testing.KafkaBrokerTestResource;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.shopstream.producer.generator.ProducerResourceTest.awaitSettled;
import static dev.shopstream.producer.generator.ProducerResourceTest.putRate;
import static dev.shopstream.producer.generator.ProducerResourceTest.sent;
import static org.assertj.core.api.Assertions.assertThat;

/** What lands in the user_events topic of a real broker, checked field by field against the contract. */
@QuarkusTest
class UserEventsContractTest {

    static { RealInfrastructure.class.getName(); }

    private static final Set<String> CONTRACT_FIELDS = Set.copyOf(EventContract.FIELDS);

    @Inject
    ObjectMapper mapper;

    /** Reads numbers as the exact decimals on the wire (37.00 stays 37.00), not as doubles. */
    private ObjectReader exactReader() {
        return mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }

    @Inject
    GeneratorSettings settings;

    @AfterEach
    void pause() {
        putRate("{\"events_per_second\": 0}").then().statusCode(200);
    }

    @Test
    void shouldWriteAnEventExactlyAsTheContractSpellsIt() throws Exception {
        UserEvent event = new UserEvent("6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", EventType.PURCHASE, "user_0042", "prod_0007",
                "electronics", new BigDecimal("129.90"), Instant.parse("2026-11-25T02:31:07Z"));
        assertThat(mapper.writeValueAsString(event)).isEqualTo("{\"event_id\":\"6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b\","
                + "\"event_type\":\"purchase\",\"user_id\":\"user_0042\",\"product_id\":\"prod_0007\",\"category\":\"electronics\","
                + "\"price\":129.90,\"event_time\":\"2026-11-25T02:31:07.000Z\"}");
    }

    @Test
    void shouldWriteWithTheGeneratorsWriterExactlyWhatJacksonWrites() throws Exception {
        UserEventJson writer = new UserEventJson();
        ShopTrafficGenerator generator = new ShopTrafficGenerator(settings.profile());
        Instant now = Instant.parse("2026-11-25T02:31:07.412Z");
        for (int i = 0; i < 20_000; i++) {
            if (i % 7 == 0) {
                now = now.plusMillis(i % 3 == 0 ? 1000 : 1); // ticks share their time, and times change
            }
            UserEvent event = generator.next(now);
            assertThat(writer.write(event)).isEqualTo(mapper.writeValueAsString(event));
        }
        for (String text : List.of("quote\" and \\ backslash", "tab\tnew\nline\rfeed\f\bback", "nul\u0000 and \u001f",
                "caf\u00e9 \u00fcber \u2603 \ud83d\ude00", "home & kitchen <b>", "")) {
            for (String price : List.of("0.99", "129.90", "999999.99", "10.00")) {
                UserEvent event = new UserEvent(text, EventType.ADD_TO_CART, text, text, text, new BigDecimal(price),
                        Instant.parse("2026-11-25T02:31:07.000Z").plusNanos(123_456_789));
                assertThat(writer.write(event)).isEqualTo(mapper.writeValueAsString(event));
            }
        }
    }

    @Test
    void shouldSendContractEventsKeyedByUser() throws Exception {
        putRate("{\"events_per_second\": 500}").then().statusCode(200);
        List<ConsumerRecord<String, String>> records = consume(300);
        for (ConsumerRecord<String, String> record : records) {
            // The contract's own definitions judge the real record: its JSON Schema, and the rules the job applies.
            assertThat(ContractSchema.problems(record.value())).as(record.value()).isEmpty();
            assertThat(EventRules.judge(record.value()).reason()).as(record.value()).isNull();
            JsonNode event = exactReader().readTree(record.value());
            Set<String> fields = new HashSet<>();
            event.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).isEqualTo(CONTRACT_FIELDS);
            assertThat(record.key()).isEqualTo(event.get("user_id").asText());
            assertThat(event.get("event_id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(EventContract.EVENT_TYPES).contains(event.get("event_type").asText());
            for (String id : List.of("user_id", "product_id", "category")) {
                assertThat(event.get(id).isTextual()).as(id).isTrue();
                assertThat(event.get(id).asText()).as(id).isNotEmpty().hasSizeLessThanOrEqualTo(EventContract.MAX_TEXT_LENGTH);
            }
            assertThat(event.get("price").isNumber()).isTrue();
            assertThat(event.get("price").decimalValue()).isPositive();
            assertThat(event.get("price").decimalValue().scale()).isEqualTo(2);
            assertThat(event.get("event_time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            assertThat(Instant.parse(event.get("event_time").asText())).isBefore(Instant.now().plusSeconds(1));
        }
    }

    @Test
    void shouldSendTheStreamItsSeedDetermines() throws Exception {
        putRate("{\"events_per_second\": 400}").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sent() >= 500);
        putRate("{\"events_per_second\": 0}").then().statusCode(200);
        long total = awaitSettled();

        // Everything the service ever sent in this run, in any partition order...
        List<String> received = new ArrayList<>();
        for (ConsumerRecord<String, String> record : consume((int) total)) {
            received.add(withoutTime(exactReader().readTree(record.value())));
        }
        // ...is exactly the first `total` events of a generator with the same seed.
        ShopTrafficGenerator replay = new ShopTrafficGenerator(settings.profile());
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            expected.add(withoutTime(exactReader().readTree(mapper.writeValueAsString(replay.next(Instant.now())))));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Event time is the wall clock at sending; everything else follows from the seed. */
    private static String withoutTime(JsonNode event) {
        StringBuilder key = new StringBuilder();
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("event_time")) {
                JsonNode value = event.get(name);
                key.append(name).append('=').append(value.isNumber() ? value.decimalValue().toPlainString() : value.asText()).append(';');
            }
        }
        return key.toString();
    }

    private static List<ConsumerRecord<String, String>> consume(int count) {
        try (KafkaCompanion companion = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers())) {
            return companion.consumeStrings()
                    .withProp(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                    .fromTopics(KafkaBrokerTestResource.TOPIC, count)
                    .awaitCompletion(Duration.ofSeconds(60))
                    .getRecords();
        }
    }
}

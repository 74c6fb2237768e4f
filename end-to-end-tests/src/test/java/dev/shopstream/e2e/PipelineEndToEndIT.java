package dev.shopstream.e2e;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.ReferenceAnalytics.WindowKey;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline as a user runs it: Apache Kafka's broker, the Spark job and the Quarkus service, each a
 * process of its own, and the real PostgreSQL. The service's generator sends a seeded stream; what the HTTP
 * API then returns must equal, row for row and to the cent, a plain-Java computation over the events read
 * back from the topic.
 */
class PipelineEndToEndIT {

    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    /** The job's one streaming query (AnalyticsSchema.QUERY_NAME; this module sees the job only as a process). */
    private static final List<String> WINDOW_QUERIES = List.of("shop_analytics");

    private static Path workDir;
    private static KafkaBrokerProcess broker;
    private static ManagedProcess job;
    private static ManagedProcess service;
    private static ServiceApi api;
    /** The plain-Java reference over every record of the topic. */
    private static ReferenceAnalytics expected;

    @BeforeAll
    static void runThePipelineOnASeededStream() throws Exception {
        ProjectLayout layout = ProjectLayout.locate();
        workDir = Files.createTempDirectory("shopstream-e2e");
        broker = KafkaBrokerProcess.startOnFreePorts(workDir.resolve("kafka"), Map.of(EventContract.TOPIC, 3), System.out);
        PostgresDatabase db = PostgresDatabase.forTests("shopstream_e2e").recreateWithSchema();

        Map<String, String> jobSettings = AnalyticsJobProcess.settings(broker.bootstrapServers(), db, workDir.resolve("checkpoints"));
        jobSettings.putAll(Map.of("TRIGGER_INTERVAL", "1 second", "SHUFFLE_PARTITIONS", "2", "SPARK_MASTER", "local[2]"));
        job = AnalyticsJobProcess.startAndAwaitReady(layout, jobSettings, List.of("-Xmx1g"), workDir, System.out, true);

        Map<String, String> serviceSettings = ProducerServiceProcess.settings(broker.bootstrapServers(), db);
        // Paused at start; no late events, whose fate depends on batch timing (AnalyticsJobIT covers lateness exactly).
        serviceSettings.putAll(Map.of("PRODUCER_RATE", "0", "PRODUCER_SEED", "20261127", "PRODUCER_LATE_EVENT_RATIO", "0"));
        int port = KafkaBrokerProcess.freePort();
        service = ProducerServiceProcess.startAndAwaitReady(layout, serviceSettings, port, List.of("-Xmx256m"), System.out, true);
        api = new ServiceApi(port);

        put("/producer/rate", "{\"events_per_second\": 1000}");
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/producer").get("events_sent").asLong() >= 6_000);
        put("/producer/rate", "{\"events_per_second\": 0}");
        long sent = api.awaitSettled(Duration.ofSeconds(30));
        JsonNode status = get("/producer");
        assertThat(status.get("events_failed").asLong()).isZero();
        assertThat(status.get("events_dropped").asLong()).isZero();

        expected = readTopic(sent);
        // The job has caught up once each of the three window queries has read (and written) every message.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, Long> read = new TreeMap<>();
            for (JsonNode query : get("/metrics/pipeline").get("queries")) {
                read.put(query.get("query_name").asText(), query.get("input_rows").asLong());
            }
            return WINDOW_QUERIES.stream().allMatch(name -> read.getOrDefault(name, 0L) == sent);
        });
    }

    @AfterAll
    static void stopThePipeline() {
        Processes.closeAll(service, job, broker);
    }

    @Test
    void shouldServeExactlyTheViewsPerProductOfTheEventsInTheTopic() throws Exception {
        Map<WindowKey, Long> served = new TreeMap<>();
        for (JsonNode row : getAll("/metrics/product-views")) {
            served.put(key(row, "product_id"), row.get("view_count").asLong());
        }
        assertThat(served).isEqualTo(expected.productViews);
    }

    @Test
    void shouldServeExactlyTheEventsPerCategory() throws Exception {
        Map<WindowKey, Long> served = new TreeMap<>();
        for (JsonNode row : getAll("/metrics/category-activity")) {
            served.put(key(row, "category"), row.get("event_count").asLong());
        }
        assertThat(served).isEqualTo(expected.categoryActivity);
        assertThat(served.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(expected.records);
    }

    @Test
    void shouldServeTheRevenuePerCategoryToTheCent() throws Exception {
        Map<WindowKey, BigDecimal> served = new TreeMap<>();
        for (JsonNode row : getAll("/metrics/category-revenue")) {
            BigDecimal revenue = row.get("total_revenue").decimalValue();
            assertThat(revenue.scale()).isEqualTo(2);
            served.put(key(row, "category"), revenue);
        }
        assertThat(served).isEqualTo(expected.categoryRevenue);
    }

    @Test
    void shouldRankTheLatestWindowsLeadersAsTheReferenceDoes() throws Exception {
        Instant latest = expected.productViews.keySet().stream().map(WindowKey::windowStart).max(Instant::compareTo).orElseThrow();

        JsonNode topProducts = get("/metrics/top-products?n=5");
        assertThat(Instant.parse(topProducts.get("window_start").asText())).isEqualTo(latest);
        List<Map.Entry<String, Long>> products = new ArrayList<>();
        topProducts.get("products").forEach(p -> products.add(Map.entry(p.get("product_id").asText(), p.get("view_count").asLong())));
        assertThat(products).isEqualTo(leaders(expected.productViews, latest, 5));

        JsonNode topRevenue = get("/metrics/top-categories?n=3&by=revenue");
        List<Map.Entry<String, BigDecimal>> categories = new ArrayList<>();
        topRevenue.get("categories").forEach(c -> categories.add(Map.entry(c.get("category").asText(), c.get("total_revenue").decimalValue())));
        assertThat(categories).isEqualTo(leaders(expected.categoryRevenue, latest, 3));
    }

    @Test
    void shouldReportNothingRejectedOrLateForAWellFormedStream() throws Exception {
        JsonNode pipeline = get("/metrics/pipeline");
        assertThat(pipeline.get("rejected_events").asLong()).isZero();
        for (JsonNode query : pipeline.get("queries")) {
            assertThat(query.get("rejected_rows").asLong()).as(query.get("query_name").asText()).isZero();
            assertThat(query.get("late_rows_dropped").asLong()).as(query.get("query_name").asText()).isZero();
        }
    }

    private static WindowKey key(JsonNode row, String keyField) {
        Instant start = Instant.parse(row.get("window_start").asText());
        assertThat(Instant.parse(row.get("window_end").asText())).isEqualTo(start.plus(WINDOW));
        return new WindowKey(start, start.plus(WINDOW), row.get(keyField).asText());
    }

    /** The n largest values of one window, ties broken by key, as the API ranks them. */
    private static <V extends Comparable<V>> List<Map.Entry<String, V>> leaders(Map<WindowKey, V> table, Instant windowStart, int n) {
        return table.entrySet().stream()
                .filter(e -> e.getKey().windowStart().equals(windowStart))
                .map(e -> Map.entry(e.getKey().key(), e.getValue()))
                .sorted(Map.Entry.<String, V>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .toList();
    }

    /** Every row of a window endpoint: the stream spans a couple of windows, well under the 1000-row limit. */
    private static List<JsonNode> getAll(String path) throws Exception {
        JsonNode rows = get(path + "?limit=1000");
        assertThat(rows.size()).isLessThan(1000);
        List<JsonNode> all = new ArrayList<>();
        rows.forEach(all::add);
        return all;
    }

    private static ReferenceAnalytics readTopic(long expected) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-reference");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ReferenceAnalytics read = new ReferenceAnalytics(WINDOW, event -> false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(EventContract.TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.records < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(record.value(), record.topic(), record.partition(), record.offset());
                }
            }
            assertThat(consumer.poll(Duration.ofSeconds(1)).count()).as("messages beyond those the service counted").isZero();
        }
        assertThat(read.records).isEqualTo(expected);
        assertThat(read.rejected).as("records the service wrote that break the contract").isEmpty();
        return read;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return api.get(path);
    }

    private static void put(String path, String body) throws IOException, InterruptedException {
        api.put(path, body);
    }
}

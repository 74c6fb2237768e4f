package dev.shopstream.e2e;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.ReferenceAnalytics.WindowKey;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.KafkaCluster;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;
import dev.shopstream.testsupport.SparkStandaloneCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline on a cluster, under failures: three Kafka nodes (replication factor 3, min.insync.replicas 2),
 * a Spark standalone master with two workers, the job submitted with SparkSubmit, the service producing with
 * acks=all to all three nodes. While events flow: kill -9 a worker (its executor dies, the application goes
 * on with the other), kill -9 a broker (its partitions' leaders move), restart both, kill -9 the driver and
 * submit again from the checkpoint. Then every table must equal the plain-Java reference over the topic
 * (pipeline-contract's ReferenceAnalytics), and rejected_events must hold each malformed message once.
 *
 * <p>Not part of {@code ./mvnw verify} (it takes minutes on 2 cores); CI runs it as its own step:
 * {@code ./mvnw -pl end-to-end-tests -am verify -Pcluster}.
 */
class ClusterFailoverIT {

    private static final String TOPIC = EventContract.TOPIC;
    private static final int PARTITIONS = 6;
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final int RATE = 200;
    /**
     * Generous: on 2 cores shared with other builds, a batch of the four-query job on the two 1-core executors took
     * up to 170 s (load average 30), and an executor or leader change adds to it.
     */
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    /** One message of each kind the job must set aside rather than count. */
    private static final List<String> MALFORMED = List.of(
            "this is not json",
            "[\"an\", \"array\"]",
            "{\"event_id\":\"malformed-1\",\"event_type\":\"purchase\"}",
            "{\"event_id\":\"malformed-2\",\"event_type\":\"refund\",\"user_id\":\"u\",\"product_id\":\"p\",\"category\":\"books\","
                    + "\"price\":10.00,\"event_time\":\"2026-11-25T02:31:07.412Z\"}",
            "{\"event_id\":\"malformed-3\",\"event_type\":\"purchase\",\"user_id\":\"u\",\"product_id\":\"p\",\"category\":\"books\","
                    + "\"price\":-3.50,\"event_time\":\"2026-11-25T02:31:07.412Z\"}");

    private static final ProjectLayout LAYOUT = ProjectLayout.locate();
    private static Path workDir;
    private static KafkaCluster kafka;
    private static SparkStandaloneCluster spark;
    private static PostgresDatabase db;
    private static AnalyticsJobProcess.Started job;
    private static ManagedProcess service;
    private static ServiceApi api;

    // What the scenario saw, checked by the tests below.
    private static final List<RecordMetadata> malformedSent = new ArrayList<>();
    private static final List<ConsumerRecord<String, String>> topic = new ArrayList<>();
    private static long eventsSent;
    private static long eventsFailed;

    @BeforeAll
    static void runThePipelineThroughCrashes() throws Exception {
        workDir = Files.createTempDirectory("shopstream-cluster");
        kafka = KafkaCluster.startOnFreePorts(workDir.resolve("kafka"), Map.of(TOPIC, PARTITIONS), System.out, true);
        spark = SparkStandaloneCluster.startOnFreePorts(workDir.resolve("spark"), System.out, true);
        db = PostgresDatabase.forTests("shopstream_cluster").recreateWithSchema();
        log("Kafka at %s, Spark master %s", kafka.bootstrapServers(), spark.masterUrl());
        job = submitJob();
        log("job running on the cluster: queries %s", job.queryNames());
        assertThat(job.queryNames()).isNotEmpty();

        Map<String, String> serviceSettings = ProducerServiceProcess.settings(kafka.bootstrapServers(), db);
        // No late events: their fate depends on batch timing (AnalyticsJobIT covers lateness exactly).
        serviceSettings.putAll(Map.of("PRODUCER_RATE", "0", "PRODUCER_SEED", "20261201", "PRODUCER_LATE_EVENT_RATIO", "0"));
        int port = KafkaBrokerProcess.freePort();
        service = ProducerServiceProcess.startAndAwaitReady(LAYOUT, serviceSettings, port, List.of("-Xmx256m"), System.out, true);
        api = new ServiceApi(port);

        sendMalformed(MALFORMED.subList(0, 3));
        api.setRate(RATE);
        awaitBatchesWithDataAfter(Instant.now(), "events flow");

        // 1. A worker crashes: its executor goes with it, the application carries on with the other one.
        Instant killed = Instant.now();
        List<ProcessHandle> executors = spark.killWorker(1);
        log("killed -9 Spark worker 1 and so its executors %s", executors.stream().map(ProcessHandle::pid).toList());
        assertThat(executors).as("worker 1's executors").isNotEmpty();
        await("worker 1's executor exits").atMost(PATIENCE).until(() -> executors.stream().noneMatch(ProcessHandle::isAlive));
        awaitBatchesWithDataAfter(killed, "on the remaining worker");

        // 2. A broker crashes: the partitions it led get new leaders among the other two, acks=all still succeeds.
        killed = Instant.now();
        kafka.kill(2);
        log("killed -9 Kafka node 2");
        await("leaders move off node 2").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                partitions().stream().allMatch(p -> p.leader() != null && p.leader().id() != 2 && p.isr().size() == 2));
        awaitBatchesWithDataAfter(killed, "with node 2 down");

        // Both come back: the worker gets an executor of the application again, the broker catches up into the ISR.
        spark.restartWorker(1);
        kafka.restart(2);
        log("restarted worker 1 and node 2");
        await("node 2 back in every ISR").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                partitions().stream().allMatch(p -> p.isr().size() == KafkaCluster.REPLICATION_FACTOR));
        await("an executor on worker 1 again").atMost(PATIENCE).until(() -> !spark.executorsOf(1).isEmpty());

        // 3. The driver crashes: submitted again, it resumes from the checkpoint.
        job.process().killHard();
        log("killed -9 the driver");
        sendMalformed(MALFORMED.subList(3, MALFORMED.size()));
        Instant resubmitted = Instant.now();
        job = submitJob();
        awaitBatchesWithDataAfter(resubmitted, "after the driver's restart");

        api.setRate(0);
        eventsSent = api.awaitSettled(Duration.ofSeconds(60));
        JsonNode status = api.get("/producer");
        eventsFailed = status.get("events_failed").asLong();
        topic.addAll(readTopic());
        log("%d events sent, %d failed; %d messages in the topic", eventsSent, eventsFailed, topic.size());
    }

    @AfterAll
    static void stopAll() {
        Processes.closeAll(service, job == null ? null : job.process(), spark, kafka);
    }

    @Test
    void shouldLoseNoEventAndWriteNoneTwiceWithAcksAllThroughABrokerCrash() {
        assertThat(eventsFailed).as("events_failed").isZero();
        // Every acknowledged event is in the topic exactly once (the idempotent producer's retries add no copies).
        ReferenceAnalytics expected = reference();
        assertThat(expected.records - expected.rejected.size()).as("valid events in the topic").isEqualTo(eventsSent);
        assertThat(expected.duplicates).as("events in the topic twice").isZero();
    }

    @Test
    void shouldHaveEveryTableEqualThePlainJavaComputationOverTheTopic() {
        ReferenceAnalytics expected = reference();
        // The job has caught up once its tables hold what the topic holds; until then they are short of it.
        await("the tables equal the reference").atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(windowCounts("SELECT window_start, window_end, product_id, view_count FROM " + AnalyticsSchema.PRODUCT_VIEW_WINDOW))
                    .isEqualTo(expected.productViews);
            assertThat(windowCounts("SELECT window_start, window_end, category, event_count FROM " + AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW))
                    .isEqualTo(expected.categoryActivity);
            assertThat(windowRevenue()).isEqualTo(expected.categoryRevenue);
        });
    }

    @Test
    void shouldSetEachMalformedMessageAsideOnce() {
        ReferenceAnalytics expected = reference();
        // The contract's rules reject exactly the messages this test sent as malformed...
        assertThat(expected.rejected.keySet()).containsExactlyInAnyOrderElementsOf(
                malformedSent.stream().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).toList());
        // ...and rejected_events holds each of them once, with its payload and the contract's reason.
        List<String> rows = expected.rejected.values().stream()
                .map(r -> r.partition() + "/" + r.offset() + " " + r.reason() + " " + r.rawPayload()).sorted().toList();
        await("every malformed message in rejected_events").atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(query("SELECT source_partition || '/' || source_offset || ' ' || reason || ' ' || raw_payload FROM " + AnalyticsSchema.REJECTED_EVENTS + " "
                        + "WHERE source_topic = '" + TOPIC + "'").stream().sorted().toList()).isEqualTo(rows));
        assertThat(rows).hasSize(MALFORMED.size());
    }

    // ---- the scenario's steps ---------------------------------------------------------------------------

    private static AnalyticsJobProcess.Started submitJob() {
        Map<String, String> settings = AnalyticsJobProcess.settings(kafka.bootstrapServers(), db, workDir.resolve("checkpoints"));
        settings.putAll(Map.of("TRIGGER_INTERVAL", "1 second", "SHUFFLE_PARTITIONS", "2"));
        // No driver web UI: parallel builds would fight over its port, and nobody looks at it here.
        return AnalyticsJobProcess.submit(LAYOUT, spark, settings, List.of("spark.ui.enabled=false"), workDir, System.out, true);
    }

    private static void sendMalformed(List<String> payloads) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String payload : payloads) {
                malformedSent.add(producer.send(new ProducerRecord<>(TOPIC, "malformed", payload)).get());
            }
        }
    }

    /**
     * Waits until every query of the job has finished, after {@code since}, a batch that read data (a batch in
     * flight at a crash counts once it completes: its tasks were run again elsewhere).
     */
    private static void awaitBatchesWithDataAfter(Instant since, String phase) {
        try {
            await(phase + ": every query " + job.queryNames() + " processes data").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> queriesWithDataAfter(since).containsAll(job.queryNames()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nThe driver's last output:\n" + job.process().recentOutput(), e);
        }
        log("%s: every query processed data", phase);
    }

    private static Set<String> queriesWithDataAfter(Instant since) throws SQLException {
        Set<String> moved = new HashSet<>();
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT query_name FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE input_rows > 0 "
                        + "AND coalesce(committed_at, batch_time + batch_duration_ms * interval '1 millisecond') > ?")) {
            statement.setObject(1, since.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    moved.add(rows.getString(1));
                }
            }
        }
        return moved;
    }

    private static List<TopicPartitionInfo> partitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            return description.partitions();
        }
    }

    /** Every message of the topic, from the start of each partition to its end. */
    private static List<ConsumerRecord<String, String>> readTopic() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read the topic within 60 s").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
        }
        return read;
    }

    /** The plain-Java reference over every record of the topic, malformed ones included. */
    private static ReferenceAnalytics reference() {
        ReferenceAnalytics reference = new ReferenceAnalytics(WINDOW, event -> false);
        topic.forEach(r -> reference.add(r.value(), r.topic(), r.partition(), r.offset()));
        return reference;
    }

    // ---- the tables -------------------------------------------------------------------------------------

    private static Map<WindowKey, Long> windowCounts(String sql) throws SQLException {
        Map<WindowKey, Long> table = new TreeMap<>();
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                table.put(key(rows), rows.getLong(4));
            }
        }
        return table;
    }

    private static Map<WindowKey, BigDecimal> windowRevenue() throws SQLException {
        Map<WindowKey, BigDecimal> table = new TreeMap<>();
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT window_start, window_end, category, total_revenue FROM " + AnalyticsSchema.CATEGORY_REVENUE_WINDOW);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                table.put(key(rows), rows.getBigDecimal(4));
            }
        }
        return table;
    }

    private static WindowKey key(ResultSet row) throws SQLException {
        Instant start = row.getObject(1, OffsetDateTime.class).toInstant();
        assertThat(row.getObject(2, OffsetDateTime.class).toInstant()).isEqualTo(start.plus(WINDOW));
        return new WindowKey(start, start.plus(WINDOW), row.getString(3));
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[cluster-it] " + Instant.now() + " " + format + "%n", args);
    }
}

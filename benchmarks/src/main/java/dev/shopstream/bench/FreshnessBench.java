package dev.shopstream.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopstream.stack.AnalyticsJobProcess;
import dev.shopstream.stack.KafkaBrokerProcess;
import dev.shopstream.stack.ManagedProcess;
import dev.shopstream.stack.PostgresDatabase;
import dev.shopstream.stack.ProducerServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Figure 3 (and the steady-state half of figure 6): the whole pipeline at a steady 2,000 events/s from the
 * service, with the job at its defaults. Once a second a probe event with a product id of its own
 * (probe_000001, ...) and event_time = now goes straight to Kafka; the API is polled every 50 ms for it, and
 * its freshness is the time from its event_time to the first answer that includes it.
 */
final class FreshnessBench {

    static final String TOPIC = "bench_fresh";
    static final int RATE = 2_000;
    static final Duration POLL = Duration.ofMillis(50);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    record Outcome(List<Double> latencies, int sent, int missing, double triggerSeconds, List<Double> batchSeconds,
                   double producerRate, long serviceRssKib, long jobRssKib) {
    }

    private FreshnessBench() {
    }

    static Outcome run(Stack stack, Mode mode, PostgresDatabase db) {
        Path checkpoints = stack.dir("fresh-checkpoints");
        Path tmp = stack.dir("fresh-tmp");
        Map<String, String> jobSettings = AnalyticsJobProcess.settings(stack.bootstrap(), db, checkpoints);
        jobSettings.put("KAFKA_TOPIC", TOPIC);
        jobSettings.putAll(Stack.extraJobEnv);
        ManagedProcess job = null;
        ManagedProcess service = null;
        try {
            job = stack.track(AnalyticsJobProcess.startAndAwaitReady(stack.layout, jobSettings, Stack.jobJvm(List.of()), tmp,
                    stack.echo(), stack.quiet()));
            Map<String, String> settings = ProducerServiceProcess.settings(stack.bootstrap(), db);
            settings.putAll(Map.of("PRODUCER_RATE", String.valueOf(RATE), "MP_MESSAGING_OUTGOING_USER_EVENTS_TOPIC", TOPIC));
            int port = KafkaBrokerProcess.freePort();
            String api = "http://localhost:" + port;
            service = stack.track(ProducerServiceProcess.startAndAwaitReady(stack.layout, settings, port, Stack.serviceJvm(),
                    stack.echo(), stack.quiet()));
            // Steady state: every window query has written a few batches of the service's traffic.
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (minDataBatches(db) < 3) {
                if (System.nanoTime() > deadline || !job.isAlive()) {
                    throw new IllegalStateException("the job did not settle at " + RATE + " events/s. Its last output:\n" + job.recentOutput());
                }
                Bench.sleep(Duration.ofSeconds(1));
            }
            Bench.sleep(Duration.ofSeconds(10));

            Map<String, Instant> pending = new ConcurrentHashMap<>();
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            Instant probeStart = Instant.now();
            long sentBefore = Bench.getJson(api + "/producer").get("events_sent").asLong();
            long t0 = System.nanoTime();
            Thread poller = new Thread(() -> poll(api, pending, latencies), "freshness-poller");
            poller.setDaemon(true);
            poller.start();
            int sent = 0;
            try (KafkaProducer<String, String> producer = KafkaSupport.producer(stack.bootstrap(), false)) {
                long next = System.nanoTime();
                for (int i = 1; i <= mode.freshnessSeconds(); i++) {
                    String product = String.format("probe_%06d", i);
                    Instant created = Instant.ofEpochMilli(System.currentTimeMillis());
                    pending.put(product, created);
                    producer.send(new ProducerRecord<>(TOPIC, "probe_user", probe(product, created)));
                    sent++;
                    next += 1_000_000_000L;
                    Bench.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
                }
            }
            long sentAfter = Bench.getJson(api + "/producer").get("events_sent").asLong();
            double producerRate = (sentAfter - sentBefore) / ((System.nanoTime() - t0) / 1e9);
            long wait = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!pending.isEmpty() && System.nanoTime() < wait) {
                Bench.sleep(Duration.ofMillis(200));
            }
            int missing = pending.size();
            poller.interrupt();
            List<Double> batches = batchSeconds(db, probeStart);
            long serviceRss = Bench.vmHwmKib(service.pid());
            long jobRss = Bench.vmHwmKib(job.pid());
            double trigger = 2.0; // the job's default TRIGGER_INTERVAL, which this run keeps
            return new Outcome(new ArrayList<>(latencies), sent, missing, trigger, batches, producerRate, serviceRss, jobRss);
        } finally {
            Stack.stop(service);
            Stack.stop(job);
            Bench.deleteRecursively(checkpoints);
            Bench.deleteRecursively(tmp);
        }
    }

    private static String probe(String product, Instant created) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"product_view\",\"user_id\":\"probe_user\",\"product_id\":\""
                + product + "\",\"category\":\"electronics\",\"price\":1.00,\"event_time\":\"" + TIME.format(created) + "\"}";
    }

    private static void poll(String api, Map<String, Instant> pending, List<Double> latencies) {
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            for (Map.Entry<String, Instant> probe : pending.entrySet()) {
                try {
                    JsonNode rows = Bench.getJson(api + "/metrics/product-views?limit=1&product_id=" + probe.getKey());
                    if (rows.size() > 0) {
                        long now = System.currentTimeMillis();
                        latencies.add((now - probe.getValue().toEpochMilli()) / 1000.0);
                        pending.remove(probe.getKey());
                    }
                } catch (RuntimeException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    // a failed poll counts as "not yet"
                }
            }
            long rest = POLL.toNanos() - (System.nanoTime() - started);
            if (rest > 0) {
                try {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The fewest batches with data that any window query has written so far. */
    private static long minDataBatches(PostgresDatabase db) {
        String sql = "SELECT count(*) FROM stream_progress WHERE input_rows > 0 AND query_name = ANY (?) GROUP BY query_name";
        long min = Long.MAX_VALUE;
        int queries = 0;
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", JobRunner.WINDOW_QUERIES.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    queries++;
                    min = Math.min(min, rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            return 0;
        }
        return queries < JobRunner.WINDOW_QUERIES.size() ? 0 : min;
    }

    /** Durations of the product_views micro-batches since the probes started. */
    private static List<Double> batchSeconds(PostgresDatabase db, Instant since) {
        List<Double> seconds = new ArrayList<>();
        String sql = "SELECT batch_duration_ms FROM stream_progress WHERE query_name = 'product_views' AND batch_time >= ? AND input_rows > 0";
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    seconds.add(rows.getLong(1) / 1000.0);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return seconds;
    }
}

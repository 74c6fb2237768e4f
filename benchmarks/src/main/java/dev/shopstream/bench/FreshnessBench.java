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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;


/**
 * Figure 3 (and the job's half of figure 6): the whole pipeline at a steady 2,000 events/s of realistic traffic
 * ({@link TrafficMix#defaults()}: re-sent duplicates, late and malformed records, non-ASCII names, Zipf-skewed
 * products) sent live by a {@link PacedRealisticFeed}, with the job at its defaults; the service, its generator at
 * rest, only answers the API. Once a second a probe event with a product id of its own (probe_000001, ...) and
 * event_time = now goes straight to Kafka; the API is polled every 50 ms for it, and its freshness is the time from
 * its event_time to the first answer that includes it. The figure's probes follow a warm-up of probes at the same rate
 * (Mode#freshnessWarmUpSeconds), reported apart: the JIT compiles the job's code meanwhile. Figure 3b (and the service's half of figure 6) runs the same
 * probes on the service's own generator at 2,000 events/s; figure 7 steps the feed's rate up.
 */
final class FreshnessBench {

    static final String TOPIC = "bench_fresh";
    /** The sustainable-rate figure's own topic: its job must not re-read figure 3's probes. */
    static final String SUSTAIN_TOPIC = "bench_sustain";
    /** Figure 3b's own topic and database: the audit must audit only its own run. */
    static final String AUDIT_TOPIC = "bench_fresh_audit";
    /** How often the job audits in figure 3b: several audits fall within the probes even in short mode. */
    static final Duration AUDIT_EVERY = Duration.ofSeconds(10);
    /** Figure 3 measures the stream alone: no audit during its probes (the default interval is 5 minutes). */
    private static final Map<String, String> NO_AUDIT = Map.of("AUDIT_INTERVAL", "0 seconds");
    static final int RATE = 2_000;
    static final Duration POLL = Duration.ofMillis(50);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Where a session's traffic comes from. */
    enum Traffic {
        /** The service's own generator (PRODUCER_RATE): skew and late events, no duplicates, no malformed records, ASCII names. */
        SERVICE_GENERATOR,
        /** {@link RealisticTraffic} of the default mix, sent live by a {@link PacedRealisticFeed} from the benchmark's JVM. */
        PACED_REALISTIC
    }

    /**
     * @param producerRate the rate the traffic's source delivered (Kafka acknowledged) over the probes, not the rate asked
     * @param traffic      what the traffic was, for the figure's description
     * @param warmUpLatencies the freshness of the probes sent while the job warmed up at the rate, before these
     */
    record Outcome(List<Double> latencies, int sent, int missing, double triggerSeconds, List<Double> batchSeconds,
                   double producerRate, long serviceRssKib, long jobRssKib, String traffic, List<Double> warmUpLatencies) {

        /**
         * How the warm-up went, for a figure's description: its length and its own probes' freshness (empty when
         * there was none).
         */
        String warmUpNote() {
            if (warmUpLatencies.isEmpty()) {
                return "";
            }
            return String.format(Locale.ROOT, "; measured after a warm-up of %d probes seen (one sent a second) at the rate, while the JIT compiles the job's code (its "
                            + "batches take about twice as long in its first minute), whose freshness is not in the figure: p50 %.2f s / p99 %.2f s",
                    warmUpLatencies.size(), Bench.percentile(warmUpLatencies, 50), Bench.percentile(warmUpLatencies, 99));
        }

        /** These probes, measured after those of a warm-up. */
        Outcome afterWarmUp(Outcome warmUp) {
            return new Outcome(latencies, sent, missing, triggerSeconds, batchSeconds, producerRate, serviceRssKib, jobRssKib, traffic,
                    warmUp.latencies());
        }
    }

    /** One step of the sustainable-rate figure: freshness, and the job's lag in offsets at the start and end of the step. */
    record RateStep(int rate, Outcome outcome, long lagAtStart, long lagAtEnd, double producerRate) {
        /** Kept up: the lag grew by less than what arrives in 5 s (a couple of batches), and freshness p99 is at most 5 s. */
        boolean sustained() {
            return lagAtEnd - lagAtStart < rate * 5L && outcome.missing() == 0 && Bench.percentile(outcome.latencies(), 99) <= 5.0;
        }
    }

    record Sustainable(List<RateStep> steps, List<Double> floorBatchSeconds, String traffic) {
    }

    private FreshnessBench() {
    }

    /** Figure 3 and the job's half of figure 6: probes at a steady 2,000 events/s of realistic traffic sent live. */
    static Outcome run(Stack stack, Mode mode, PostgresDatabase db) {
        try (Session session = new Session(stack, db, Traffic.PACED_REALISTIC, RATE, TOPIC, NO_AUDIT)) {
            Outcome warmUp = session.probe(mode.freshnessWarmUpSeconds());
            return session.probe(mode.freshnessSeconds()).afterWarmUp(warmUp);
        }
    }

    /**
     * Figure 3b and the service's half of figure 6: the same probes, with the job auditing its closed windows every
     * {@link #AUDIT_EVERY} beside the stream, on the service's own generator: the one session where the service
     * generates, so its memory is measured here.
     */
    static Outcome runWithAudit(Stack stack, Mode mode, PostgresDatabase db) {
        try (Session session = new Session(stack, db, Traffic.SERVICE_GENERATOR, RATE, AUDIT_TOPIC, Map.of("AUDIT_INTERVAL", AUDIT_EVERY.toSeconds() + " seconds"))) {
            Outcome warmUp = session.probe(mode.freshnessWarmUpSeconds());
            return session.probe(mode.freshnessSeconds()).afterWarmUp(warmUp);
        }
    }

    /**
     * The audits figure 3b's job recorded: how many runs (audit_run), their durations and what they read and checked,
     * then the windows audited (audit_window) and how many of them were exact.
     */
    static String auditsRecorded(PostgresDatabase db) {
        String runs = "SELECT count(*), coalesce(min(duration_ms), 0), coalesce(percentile_disc(0.5) WITHIN GROUP (ORDER BY duration_ms), 0), "
                + "coalesce(max(duration_ms), 0), coalesce(sum(records_read), 0), coalesce(sum(batches_read), 0), "
                + "coalesce(sum(windows_checked), 0), coalesce(sum(mismatches), 0) FROM " + AnalyticsSchema.AUDIT_RUN;
        String windows = "SELECT count(DISTINCT window_start), count(DISTINCT window_start) FILTER (WHERE mismatched_keys = 0) FROM "
                + AnalyticsSchema.AUDIT_WINDOW;
        try (Connection connection = db.connect(); PreparedStatement runStatement = connection.prepareStatement(runs);
             ResultSet run = runStatement.executeQuery(); PreparedStatement windowStatement = connection.prepareStatement(windows);
             ResultSet window = windowStatement.executeQuery()) {
            run.next();
            window.next();
            return String.format(Locale.ROOT, "%d audits ran, each %d / %d / %d ms (min / median / max), reading %,d records of %,d batches "
                            + "in all and checking %d windows (%d mismatched); %d windows audited, %d exact",
                    run.getLong(1), run.getLong(2), run.getLong(3), run.getLong(4), run.getLong(5), run.getLong(6), run.getLong(7), run.getLong(8),
                    window.getLong(1), window.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + AnalyticsSchema.AUDIT_RUN + " and " + AnalyticsSchema.AUDIT_WINDOW + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Figure 7: realistic traffic sent live by a {@link PacedRealisticFeed}, from 2,000 events/s, doubling, each rate
     * for {@code seconds} after 10 s at it; stops after the first rate the job does not sustain. Each step also
     * reports the rate the feed delivered, which falls short of the rate asked when the feed cannot keep up. First,
     * the per-trigger floor: batch durations at 1 event/s (of the same feed), where a batch has (almost) nothing to
     * do. It is measured before the steps: after them the job is still working off the backlog of the rate it did
     * not sustain, and then forgetting the ids of its closed windows (half a window of event time), and those
     * batches are not the floor.
     */
    static Sustainable sustainable(Stack stack, PostgresDatabase db, int seconds, int maxRate) {
        List<RateStep> steps = new ArrayList<>();
        try (Session session = new Session(stack, db, Traffic.PACED_REALISTIC, RATE, SUSTAIN_TOPIC, NO_AUDIT)) {
            session.rate(1);
            Bench.sleep(Duration.ofSeconds(15));
            Instant since = Instant.now();
            Bench.sleep(Duration.ofSeconds(20));
            List<Double> floor = batchSeconds(db, since, false);
            for (int rate = RATE; rate <= maxRate; rate *= 2) {
                session.rate(rate);
                Bench.sleep(Duration.ofSeconds(10));
                long lagAtStart = session.lag();
                Outcome outcome = session.probe(seconds);
                RateStep step = new RateStep(rate, outcome, lagAtStart, session.lag(), outcome.producerRate());
                Bench.log("rate %,d/s: feed delivered %s/s, freshness p99 %.2f s, lag %,d -> %,d, sustained %s", rate, Bench.rate(step.producerRate()),
                        Bench.percentile(outcome.latencies(), 99), step.lagAtStart(), step.lagAtEnd(), step.sustained());
                steps.add(step);
                if (!step.sustained()) {
                    break;
                }
            }
            return new Sustainable(steps, floor, session.traffic());
        }
    }

    /** The job and the service on the benchmark's topic, with traffic from the service or from a feed, settled at a rate; probes on demand. */
    private static final class Session implements AutoCloseable {
        private final Stack stack;
        private final PostgresDatabase db;
        private final Path checkpoints;
        private final Path tmp;
        private final String topic;
        private ManagedProcess job;
        private ManagedProcess service;
        private String api;
        /** The traffic with {@link Traffic#PACED_REALISTIC}; null when the service generates it. */
        private PacedRealisticFeed feed;

        Session(Stack stack, PostgresDatabase db, Traffic traffic, int rate, String topic, Map<String, String> jobEnv) {
            this.stack = stack;
            this.db = db;
            this.topic = topic;
            checkpoints = stack.dir("fresh-checkpoints");
            tmp = stack.dir("fresh-tmp");
            Map<String, String> jobSettings = AnalyticsJobProcess.settings(stack.bootstrap(), db, checkpoints);
            jobSettings.put("KAFKA_TOPIC", topic);
            jobSettings.putAll(jobEnv);
            jobSettings.putAll(Stack.extraJobEnv);
            try {
                job = stack.track(AnalyticsJobProcess.startAndAwaitReady(stack.layout, jobSettings, Stack.jobJvm(List.of()), tmp,
                        stack.echo(), stack.quiet()));
                // With the feed, the service's generator starts paused (0 is accepted: producer.rate's "0 starts paused"),
                // and the service only answers the API the probes poll.
                int serviceRate = traffic == Traffic.SERVICE_GENERATOR ? rate : 0;
                Map<String, String> settings = ProducerServiceProcess.settings(stack.bootstrap(), db);
                settings.putAll(Map.of("PRODUCER_RATE", String.valueOf(serviceRate), "MP_MESSAGING_OUTGOING_USER_EVENTS_TOPIC", topic));
                int port = KafkaBrokerProcess.freePort();
                api = "http://localhost:" + port;
                service = stack.track(ProducerServiceProcess.startAndAwaitReady(stack.layout, settings, port, Stack.serviceJvm(),
                        stack.echo(), stack.quiet()));
                if (traffic == Traffic.PACED_REALISTIC) {
                    feed = new PacedRealisticFeed(stack.bootstrap(), topic, TrafficMix.defaults(), rate);
                }
                // Steady state: the job has written a few batches of the traffic.
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (dataBatches(db) < 3) {
                    if (System.nanoTime() > deadline || !job.isAlive()) {
                        throw new IllegalStateException("the job did not settle at " + rate + " events/s. Its last output:\n" + job.recentOutput());
                    }
                    Bench.sleep(Duration.ofSeconds(1));
                }
                Bench.sleep(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        void rate(int eventsPerSecond) {
            if (feed != null) {
                feed.rate(eventsPerSecond);
            } else {
                Bench.putJson(api + "/producer/rate", "{\"events_per_second\":" + eventsPerSecond + "}");
            }
        }

        /** What the traffic is, for a figure's description. */
        String traffic() {
            return feed != null ? feed.describe() : "the service's own generator (PRODUCER_RATE): skew and late events, no re-sent "
                    + "duplicates, no malformed records, ASCII names";
        }

        /** Starts measuring the traffic's source: the returned supplier gives the rate it delivered from now until it is asked. */
        private DoubleSupplier deliveredRateFromNow() {
            if (feed != null) {
                PacedRealisticFeed.Mark start = feed.mark();
                return () -> feed.deliveredPerSecondSince(start);
            }
            long sentBefore = serviceEventsSent();
            long t0 = System.nanoTime();
            return () -> (serviceEventsSent() - sentBefore) / ((System.nanoTime() - t0) / 1e9);
        }

        /** Events the service's generator has had acknowledged by Kafka since it started. */
        private long serviceEventsSent() {
            return Bench.getJson(api + "/producer").get("events_sent").asLong();
        }

        /** Records in the topic beyond the end offsets of the job's newest committed batch. */
        long lag() {
            long end = KafkaSupport.endOffsets(stack.bootstrap(), topic).values().stream().mapToLong(Long::longValue).sum();
            String sql = "SELECT end_offsets FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = ? ORDER BY batch_id DESC LIMIT 1";
            try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, JobRunner.WINDOW_QUERIES.get(0));
                try (ResultSet rows = statement.executeQuery()) {
                    long committed = 0;
                    if (rows.next() && rows.getString(1) != null) {
                        for (JsonNode partitions : Bench.JSON.readTree(rows.getString(1))) {
                            for (JsonNode offset : partitions) {
                                committed += offset.asLong();
                            }
                        }
                    }
                    return end - committed;
                }
            } catch (SQLException | java.io.IOException e) {
                throw new IllegalStateException("Cannot read the job's offsets: " + e.getMessage(), e);
            }
        }

        /** Once a second for {@code seconds}, a probe event with event_time = now; the API polled until each is served. */
        Outcome probe(int seconds) {
            Map<String, Instant> pending = new ConcurrentHashMap<>();
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            Instant probeStart = Instant.now();
            DoubleSupplier deliveredRate = deliveredRateFromNow();
            // With --verbose, each probe's Kafka position and freshness: which batch carried a slow one.
            java.io.PrintStream echo = stack.echo();
            Thread poller = new Thread(() -> poll(api, pending, latencies, echo), "freshness-poller");
            poller.setDaemon(true);
            poller.start();
            int sent = 0;
            try (KafkaProducer<String, String> producer = KafkaSupport.producer(stack.bootstrap(), false)) {
                long next = System.nanoTime();
                for (int i = 1; i <= seconds; i++) {
                    String product = String.format("probe_%06d", ++probes);
                    Instant created = Instant.ofEpochMilli(System.currentTimeMillis());
                    pending.put(product, created);
                    producer.send(new ProducerRecord<>(topic, "probe_user", probeEvent(product, created)), (md, ex) -> {
                        if (md != null) {
                            echo.printf(Locale.ROOT, "  probe %s: partition %d, offset %d, sent %s, acknowledged after %d ms%n", product,
                                    md.partition(), md.offset(), created, System.currentTimeMillis() - created.toEpochMilli());
                        }
                    });
                    sent++;
                    next += 1_000_000_000L;
                    Bench.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
                }
            }
            double producerRate = deliveredRate.getAsDouble();
            long wait = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!pending.isEmpty() && System.nanoTime() < wait) {
                Bench.sleep(Duration.ofMillis(200));
            }
            int missing = pending.size();
            poller.interrupt();
            List<Double> batches = batchSeconds(db, probeStart, true);
            double trigger = triggerSeconds();
            return new Outcome(new ArrayList<>(latencies), sent, missing, trigger, batches, producerRate,
                    Bench.vmHwmKib(service.pid()), Bench.vmHwmKib(job.pid()), traffic(), List.of());
        }

        private int probes;

        @Override
        public void close() {
            try {
                if (feed != null) {
                    feed.close();
                }
            } finally {
                Stack.stop(service);
                Stack.stop(job);
                Bench.deleteRecursively(checkpoints);
                Bench.deleteRecursively(tmp);
            }
        }
    }

    /**
     * The job's default TRIGGER_INTERVAL: analytics-job's {@code Setting}, which is not on the benchmark's runtime
     * classpath (Spark stays out of this JVM); FreshnessBenchTest holds the two equal.
     */
    static final String DEFAULT_TRIGGER = "250 ms";

    /** The job's trigger interval in these runs: its default, unless --job-env set one ("250 ms", "2s", "1 second"). */
    static double triggerSeconds() {
        String value = Stack.extraJobEnv.getOrDefault("TRIGGER_INTERVAL", DEFAULT_TRIGGER).trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)\\s*(ms|s|sec|second|seconds)").matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("TRIGGER_INTERVAL for the benchmark: use ms or s, e.g. 250ms or 2s, not " + value);
        }
        double amount = Double.parseDouble(m.group(1));
        return m.group(2).equals("ms") ? amount / 1000 : amount;
    }

    private static String probeEvent(String product, Instant created) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"product_view\",\"user_id\":\"probe_user\",\"product_id\":\""
                + product + "\",\"category\":\"electronics\",\"price\":1.00,\"event_time\":\"" + TIME.format(created) + "\"}";
    }

    private static void poll(String api, Map<String, Instant> pending, List<Double> latencies, java.io.PrintStream echo) {
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            for (Map.Entry<String, Instant> probe : pending.entrySet()) {
                try {
                    JsonNode rows = Bench.getJson(api + "/metrics/product-views?limit=1&product_id=" + probe.getKey());
                    if (rows.size() > 0) {
                        long now = System.currentTimeMillis();
                        latencies.add((now - probe.getValue().toEpochMilli()) / 1000.0);
                        echo.printf(Locale.ROOT, "  probe %s: seen after %d ms%n", probe.getKey(), now - probe.getValue().toEpochMilli());
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

    /** How many batches with data the job has written so far. */
    private static long dataBatches(PostgresDatabase db) {
        String sql = "SELECT count(*) FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE input_rows > 0 AND query_name = ?";
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, JobRunner.WINDOW_QUERIES.get(0));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    /** Durations of the job's micro-batches since a moment (with data only, or all). */
    private static List<Double> batchSeconds(PostgresDatabase db, Instant since, boolean withDataOnly) {
        List<Double> seconds = new ArrayList<>();
        String sql = "SELECT batch_duration_ms FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = '" + JobRunner.WINDOW_QUERIES.get(0)
                + "' AND batch_time >= ? AND batch_duration_ms IS NOT NULL" + (withDataOnly ? " AND input_rows > 0" : "");
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

package dev.shopstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * Figure 1: the service's generator at full speed (events Kafka acknowledged with acks=all, per second) against
 * Kafka's own ProducerPerformance on the same broker, with the same producer settings and the same records
 * (a sample of the service's own JSON events, so the same size and compressibility).
 */
final class ProducerBench {

    static final String SERVICE_TOPIC = "bench_producer";
    static final String TOOL_TOPIC = "bench_tool";
    /** The service's Kafka producer settings (producer-service application.properties), given to the tool too. */
    static final List<String> PRODUCER_SETTINGS = List.of("acks=all", "enable.idempotence=true", "linger.ms=5", "batch.size=65536",
            "compression.type=lz4", "delivery.timeout.ms=120000", "max.block.ms=5000");
    static final String SERVICE_HEAP = "-Xmx512m";
    private static final int REPORT_SECONDS = 2;
    private static final Pattern REPORT = Pattern.compile("^(\\d+) records sent, ([\\d.]+) records/sec \\([^)]*\\), [\\d.]+ ms avg latency, [\\d.]+ ms max latency\\.?$");

    record Outcome(double serviceRate, long serviceDropped, long serviceFailed, double toolRate, double averageBytes,
                   long serviceRssKib, long toolRssKib, int toolIntervals) {
    }

    private ProducerBench() {
    }

    static Outcome run(Stack stack, Mode mode, PostgresDatabase db) {
        Map<String, String> settings = ProducerServiceProcess.settings(stack.bootstrap(), db);
        settings.putAll(Map.of("PRODUCER_RATE", "0", "PRODUCER_MAX_RATE", "1000000",
                "MP_MESSAGING_OUTGOING_USER_EVENTS_TOPIC", SERVICE_TOPIC));
        int port = KafkaBrokerProcess.freePort();
        String api = "http://localhost:" + port;
        ManagedProcess service = stack.track(ProducerServiceProcess.startAndAwaitReady(stack.layout, settings, port,
                Stack.serviceJvm(), stack.echo(), stack.quiet()));
        double serviceRate;
        long dropped;
        long failed;
        long serviceRss;
        try {
            Bench.putJson(api + "/producer/rate", "{\"events_per_second\": 1000000}");
            Bench.sleep(Duration.ofSeconds(mode.producerWarmupSeconds()));
            JsonNode before = Bench.getJson(api + "/producer");
            long t0 = System.nanoTime();
            Bench.sleep(Duration.ofSeconds(mode.producerSeconds()));
            JsonNode after = Bench.getJson(api + "/producer");
            long t1 = System.nanoTime();
            Bench.putJson(api + "/producer/rate", "{\"events_per_second\": 0}");
            serviceRate = (after.get("events_sent").asLong() - before.get("events_sent").asLong()) / ((t1 - t0) / 1e9);
            dropped = after.get("events_dropped").asLong() - before.get("events_dropped").asLong();
            failed = after.get("events_failed").asLong() - before.get("events_failed").asLong();
            Bench.sleep(Duration.ofSeconds(2));
            serviceRss = Bench.vmHwmKib(service.pid());
        } finally {
            Stack.stop(service);
        }
        Bench.log("service: %s events/s delivered (dropped %d, failed %d)", Bench.rate(serviceRate), dropped, failed);

        List<String> sample = KafkaSupport.readValues(stack.bootstrap(), SERVICE_TOPIC, 20_000);
        double averageBytes = KafkaSupport.averageBytes(sample);
        Path payloads = stack.dir("producer").resolve("payloads.txt");
        KafkaSupport.writeLines(payloads, sample);

        ProjectLayout layout = stack.layout;
        List<String> command = new ArrayList<>(List.of(SERVICE_HEAP, "-cp",
                ProjectLayout.classpath(layout.brokerClasses(), layout.brokerClasspathFile()), "org.apache.kafka.tools.ProducerPerformance",
                "--bootstrap-server", stack.bootstrap(), "--topic", TOOL_TOPIC, "--num-records", "1000000000", "--throughput", "-1",
                "--payload-file", payloads.toString(), "--reporting-interval", String.valueOf(REPORT_SECONDS * 1000), "--command-property"));
        command.addAll(PRODUCER_SETTINGS);
        ManagedProcess tool = stack.track(ManagedProcess.startJava("producer-perf", command, Map.of(), layout.root(), stack.echo(), stack.quiet()));
        long toolRss = -1;
        try {
            tool.awaitLine(l -> REPORT.matcher(l).matches(), Duration.ofSeconds(60));
            long end = System.nanoTime() + Duration.ofSeconds(mode.producerWarmupSeconds() + mode.producerSeconds() + REPORT_SECONDS).toNanos();
            while (System.nanoTime() < end && tool.isAlive()) {
                toolRss = Math.max(toolRss, Bench.vmHwmKib(tool.pid()));
                Bench.sleep(Duration.ofMillis(250));
            }
        } finally {
            Stack.stop(tool);
        }
        // The tool's own periodic reports: skip those of the warm-up, average those of the measured window.
        List<Double> rates = new ArrayList<>();
        for (String line : tool.recentOutput().split("\n")) {
            Matcher m = REPORT.matcher(line.trim());
            if (m.matches()) {
                rates.add(Double.parseDouble(m.group(2)));
            }
        }
        int skip = (int) Math.ceil(mode.producerWarmupSeconds() / (double) REPORT_SECONDS);
        List<Double> measured = rates.subList(Math.min(skip, rates.size()),
                Math.min(rates.size(), skip + mode.producerSeconds() / REPORT_SECONDS));
        double toolRate = measured.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        Bench.log("ProducerPerformance: %s records/s (%d reports of %d s), %.0f-byte records", Bench.rate(toolRate), measured.size(),
                REPORT_SECONDS, averageBytes);
        return new Outcome(serviceRate, dropped, failed, toolRate, averageBytes, serviceRss, toolRss, measured.size());
    }
}

package dev.shopstream.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.shopstream.contract.EventContract;
import dev.shopstream.e2e.deploy.ComposeFiles.Service;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * The compose file's healthchecks and Prometheus's targets against the real processes, as the local stack runs them:
 * each healthcheck command, run by a shell here with the container's paths and ports replaced by the processes' own,
 * must fail before its process is ready and pass once it is; each scrape target must answer with the series the
 * alert rules read.
 */
class ComposeHealthchecksIT {

    private static final ProjectLayout LAYOUT = ProjectLayout.locate();
    private static final Map<String, Service> SERVICES = ComposeFiles.services(LAYOUT.root().resolve("docker-compose.yml"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path workDir;
    private static KafkaBrokerProcess broker;
    private static ManagedProcess job;
    private static ManagedProcess service;
    private static Path checkpoints;
    private static int servicePort;
    private static int jobUiPort;
    private static String healthBeforeAnyBatch;

    @BeforeAll
    static void startTheJobAndTheServiceAsComposeConfiguresThem() throws Exception {
        workDir = Files.createTempDirectory("shopstream-compose-it");
        broker = KafkaBrokerProcess.startOnFreePorts(workDir.resolve("kafka"), Map.of(EventContract.TOPIC, 3), System.out);
        PostgresDatabase db = PostgresDatabase.forTests("compose_it").recreateWithSchema();

        checkpoints = workDir.resolve("checkpoints");
        Map<String, String> jobSettings = AnalyticsJobProcess.settings(broker.bootstrapServers(), db, checkpoints);
        jobSettings.putAll(Map.of("SHUFFLE_PARTITIONS", "2", "SPARK_MASTER", "local[2]", "AUDIT_INTERVAL", "0s",
                // As compose sets it: the job's Prometheus servlet on its UI.
                "SPARK_PROMETHEUS_METRICS", SERVICES.get("analytics-job").environment().get("SPARK_PROMETHEUS_METRICS")));
        jobUiPort = KafkaBrokerProcess.freePort();
        job = AnalyticsJobProcess.startAndAwaitReady(LAYOUT, jobSettings, List.of("-Xmx768m", "-Dspark.ui.port=" + jobUiPort),
                Files.createDirectories(workDir.resolve("job-tmp")), System.out, true);
        // Nothing sent yet: the query has committed no batch.
        healthBeforeAnyBatch = jobHealthcheck();

        Map<String, String> serviceSettings = ProducerServiceProcess.settings(broker.bootstrapServers(), db);
        serviceSettings.put("PRODUCER_RATE", "100");
        servicePort = KafkaBrokerProcess.freePort();
        service = ProducerServiceProcess.startAndAwaitReady(LAYOUT, serviceSettings, servicePort, List.of("-Xmx256m"), System.out, true);
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable process : new AutoCloseable[] {service, job, broker}) {
            try {
                if (process != null) {
                    process.close();
                }
            } catch (Exception e) {
                // keep stopping the others
            }
        }
    }

    @Test
    void shouldReportTheJobHealthyOnlyOnceItsQueryHasCommittedABatch() {
        assertThat(healthBeforeAnyBatch).as("the job's healthcheck before its first batch").startsWith("exit 1");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(jobHealthcheck()).as("the job's healthcheck once it streams").isEqualTo("exit 0"));
    }

    @Test
    void shouldReportTheServiceHealthyOnItsReadinessEndpoint() throws Exception {
        Service compose = SERVICES.get("producer-service");
        // The container's port is the service's own (ComposeFileTest); here it runs on a free one.
        String command = compose.healthcheckShell().replace("localhost:" + ComposeFileTest.servicePort(), "127.0.0.1:" + servicePort);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(shell(command, Map.of())).as(command).isEqualTo("exit 0"));
    }

    @Test
    void shouldFindEachPrometheusTargetServingTheSeriesTheAlertsRead() throws Exception {
        Map<String, Object> prometheus = ComposeFiles.load(LAYOUT.root().resolve("monitoring/prometheus/prometheus.yml"));
        Map<String, Integer> ports = Map.of("producer-service", servicePort, "analytics-job", jobUiPort);
        Map<String, String> series = Map.of("producer-service", "shopstream_producer_events_sent_total",
                "analytics-job", "metrics_shopstream_driver_");
        for (Object scrape : (List<?>) prometheus.get("scrape_configs")) {
            Map<?, ?> config = (Map<?, ?>) scrape;
            String name = String.valueOf(config.get("job_name"));
            URI uri = URI.create("http://127.0.0.1:" + ports.get(name) + config.get("metrics_path"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as("%s at %s", name, uri).isEqualTo(200);
                assertThat(answer.body()).as("%s at %s", name, uri).contains(series.get(name));
            });
        }
    }

    /** The compose healthcheck of analytics-job, run by a shell with CHECKPOINT_DIR as the container has it, here the job's. */
    private static String jobHealthcheck() throws Exception {
        return shell(SERVICES.get("analytics-job").healthcheckShell(), Map.of("CHECKPOINT_DIR", checkpoints.toString()));
    }

    /** "exit N" and, when it failed, what it printed. */
    private static String shell(String command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return "exit " + process.exitValue() + (process.exitValue() == 0 || output.isEmpty() ? "" : ": " + output);
    }
}

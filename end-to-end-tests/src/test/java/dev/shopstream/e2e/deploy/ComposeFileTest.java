package dev.shopstream.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.e2e.deploy.ComposeFiles.PublishedPort;
import dev.shopstream.e2e.deploy.ComposeFiles.Service;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * docker-compose.yml and its cluster variant held to the code that defines each fact they state: nothing here runs
 * containers, so a fact that drifts (a healthcheck waiting for the four-query layout's checkpoints, a setting the job
 * no longer reads) would otherwise only show on somebody's `docker compose up`. ComposeHealthchecksIT runs the
 * healthcheck commands and scrapes Prometheus's targets against the real processes.
 */
class ComposeFileTest {

    /** The one setting that publishes the ports elsewhere; loopback unless it is set. */
    static final String PUBLISH_ADDRESS = "${PUBLISH_ADDRESS:-127.0.0.1}";
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+):(\\d+)");

    private static final ProjectLayout LAYOUT = ProjectLayout.locate();
    private static final CodeFacts CODE = new CodeFacts(LAYOUT);
    private static final Path BASE = LAYOUT.root().resolve("docker-compose.yml");
    private static final Path CLUSTER = LAYOUT.root().resolve("docker-compose.cluster.yml");

    /** The two deployments: the base file alone, and with the cluster override. */
    private static List<Map<String, Service>> deployments() {
        return List.of(ComposeFiles.services(BASE), ComposeFiles.services(BASE, CLUSTER));
    }

    @Test
    void shouldPublishEveryPortOnPublishAddressWhichDefaultsToLoopback() {
        for (Map<String, Service> services : deployments()) {
            List<PublishedPort> published = new ArrayList<>();
            services.values().forEach(service -> published.addAll(service.ports()));
            assertThat(published).as("published ports").isNotEmpty()
                    .allSatisfy(port -> assertThat(port.hostIp()).as("host address of %s", port).isEqualTo(PUBLISH_ADDRESS));
        }
        assertThat(ComposeFiles.withDefaults(PUBLISH_ADDRESS)).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldGiveTheJobOnlyVariablesItsCodeReads() {
        Set<String> readByJob = new TreeSet<>(CODE.jobSettings());
        readByJob.addAll(CODE.jobImageVariables());
        for (Map<String, Service> services : deployments()) {
            assertThat(services.get("analytics-job").environment().keySet()).as("analytics-job's environment")
                    .isSubsetOf(readByJob);
            // The one-shot migrator on the job's image: the same three database variables as the job.
            assertThat(services.get("schema").environment().keySet()).as("schema's environment")
                    .isSubsetOf(CODE.getenvNames("schema/src/main/java/dev/shopstream/schema/SchemaMigrations.java"))
                    .isSubsetOf(CODE.jobSettings());
        }
    }

    @Test
    void shouldGiveTheServiceOnlyVariablesItsConfigurationReads() {
        Set<String> readByService = CODE.serviceVariables();
        assertThat(readByService).as("what the service reads").contains("PRODUCER_CONTROL_TOKEN", "PRODUCER_RATE", "POSTGRES_HOST");
        for (Map<String, Service> services : deployments()) {
            assertThat(services.get("producer-service").environment().keySet()).as("producer-service's environment")
                    .isSubsetOf(readByService);
        }
    }

    @Test
    void shouldConnectEveryContainerToTheListenersAndDatabaseTheOthersServe() {
        for (Map<String, Service> services : deployments()) {
            Set<String> internalListeners = new TreeSet<>();
            for (Service kafka : kafkaNodes(services)) {
                Map<String, String> listeners = listeners(kafka.environment().get("KAFKA_LISTENERS"));
                internalListeners.add(kafka.name() + ":" + listeners.get("INTERNAL"));
                Map<String, String> advertised = listeners(ComposeFiles.withDefaults(kafka.environment().get("KAFKA_ADVERTISED_LISTENERS")));
                assertThat(advertised.get("INTERNAL")).as("%s advertises its INTERNAL listener", kafka.name())
                        .isEqualTo(kafka.name() + ":" + listeners.get("INTERNAL"));
                // Clients on the host reach EXTERNAL through the published port: the node must advertise that port.
                PublishedPort external = kafka.ports().stream()
                        .filter(p -> String.valueOf(p.containerPort()).equals(listeners.get("EXTERNAL"))).findFirst()
                        .orElseThrow(() -> new AssertionError(kafka.name() + " does not publish its EXTERNAL listener " + listeners.get("EXTERNAL")));
                assertThat(advertised.get("EXTERNAL")).as("%s advertises its published EXTERNAL port", kafka.name())
                        .endsWith(":" + ComposeFiles.withDefaults(external.hostPort()));
                assertThat(kafka.environment().get("KAFKA_ADVERTISED_LISTENERS")).as("%s's EXTERNAL port follows the published one", kafka.name())
                        .contains(":" + external.hostPort());
            }
            for (String client : List.of("analytics-job", "producer-service")) {
                assertThat(List.of(services.get(client).environment().get("KAFKA_BOOTSTRAP_SERVERS").split(",")))
                        .as("%s's brokers", client).containsExactlyInAnyOrderElementsOf(internalListeners);
            }
            String init = services.get("kafka-init").commandLine();
            assertThat(init).contains("--bootstrap-server " + String.join(",", internalListeners.stream().sorted(
                    (a, b) -> Integer.compare(kafkaNodeNumber(a), kafkaNodeNumber(b))).toList()));

            Map<String, String> postgres = services.get("postgres").environment();
            String database = postgres.get("POSTGRES_DB");
            assertThat(services.get("postgres").ports()).extracting(PublishedPort::containerPort).containsExactly(5432);
            for (String jdbcClient : List.of("analytics-job", "schema")) {
                assertThat(services.get(jdbcClient).environment().get("POSTGRES_URL")).as("%s's database", jdbcClient)
                        .isEqualTo("jdbc:postgresql://postgres:5432/" + database);
            }
            Map<String, String> service = services.get("producer-service").environment();
            assertThat(List.of(service.get("POSTGRES_HOST"), service.get("POSTGRES_PORT"), service.get("POSTGRES_DB")))
                    .as("the service's database").containsExactly("postgres", "5432", database);
            for (String client : List.of("analytics-job", "schema", "producer-service")) {
                assertThat(services.get(client).environment()).as("%s's credentials", client)
                        .containsEntry("POSTGRES_USER", postgres.get("POSTGRES_USER"))
                        .containsEntry("POSTGRES_PASSWORD", postgres.get("POSTGRES_PASSWORD"));
            }
        }
        Map<String, Service> cluster = ComposeFiles.services(BASE, CLUSTER);
        Matcher master = Pattern.compile("--host (\\S+) --port (\\d+) --webui-port (\\d+)").matcher(cluster.get("spark-master").commandLine());
        assertThat(master.find()).as("the master's command").isTrue();
        assertThat(cluster.get("analytics-job").environment().get("SPARK_MASTER_URL")).isEqualTo("spark://" + master.group(1) + ":" + master.group(2));
        assertThat(cluster.get("analytics-job").commandLine()).contains("--master spark://" + master.group(1) + ":" + master.group(2));
        assertThat(cluster.get("spark-master").ports()).extracting(PublishedPort::containerPort).containsExactly(Integer.parseInt(master.group(3)));
    }

    @Test
    void shouldCheckTheJobsHealthByACommitOfTheQueryTheContractNames() {
        for (Map<String, Service> services : deployments()) {
            Service job = services.get("analytics-job");
            String checkpoints = job.environment().get("CHECKPOINT_DIR");
            assertThat(job.healthcheckShell()).as("analytics-job's healthcheck")
                    .contains("${CHECKPOINT_DIR}/" + AnalyticsSchema.QUERY_NAME + "/commits/0");
            // The checkpoints are on the volume that outlives the container.
            assertThat(job.volumes()).as("analytics-job's volumes").anyMatch(volume -> volume.split(":")[1].equals(checkpoints));
        }
    }

    @Test
    void shouldProbeEveryOtherHealthcheckOnThePortItsProcessServes() {
        for (Map<String, Service> services : deployments()) {
            Service service = services.get("producer-service");
            URI health = uriIn(service.healthcheckShell());
            assertThat(health.getPort()).as("the service's healthcheck port").isEqualTo(servicePort());
            assertThat(health.getPath()).isEqualTo("/q/health/ready");
            assertThat(service.ports()).extracting(PublishedPort::containerPort).containsExactly(servicePort());

            for (Service kafka : kafkaNodes(services)) {
                Matcher probe = HOST_PORT.matcher(kafka.healthcheckShell().replaceAll(".*--bootstrap-server ", ""));
                assertThat(probe.find()).isTrue();
                assertThat(probe.group(2)).as("%s's healthcheck port", kafka.name())
                        .isIn(listeners(kafka.environment().get("KAFKA_LISTENERS")).values());
            }
            assertThat(services.get("postgres").healthcheckShell()).contains("-d " + services.get("postgres").environment().get("POSTGRES_DB"));
            Service prometheus = services.get("prometheus");
            assertThat(uriIn(prometheus.healthcheckShell()).getPort()).isEqualTo(prometheus.ports().get(0).containerPort());
        }
        Service master = ComposeFiles.services(BASE, CLUSTER).get("spark-master");
        assertThat(master.healthcheckShell()).contains("/dev/tcp/localhost/" + master.commandLine().replaceAll(".*--port (\\d+).*", "$1"));
    }

    @Test
    void shouldScrapeTheMetricsEndpointsTheServiceAndTheJobServe() {
        Map<String, Object> prometheus = ComposeFiles.load(LAYOUT.root().resolve("monitoring/prometheus/prometheus.yml"));
        Map<String, Service> services = ComposeFiles.services(BASE);
        Map<String, String> jobMetrics = CODE.jobSparkMetricsConf(services.get("analytics-job").environment().get("SPARK_PROMETHEUS_METRICS"));
        Map<String, String> expected = Map.of(
                // Quarkus's Micrometer registry: /q/metrics unless application.properties moves it.
                "producer-service", "producer-service:" + servicePort() + " /q/metrics",
                // Spark's PrometheusServlet on the driver's UI port (Spark's default, 4040: the job's environment sets no other).
                "analytics-job", "analytics-job:4040 " + jobMetrics.get("spark.metrics.conf.*.sink.prometheusServlet.path") + "/");
        assertThat(CODE.serviceProperties().stringPropertyNames()).noneMatch(key -> key.startsWith("quarkus.micrometer.export.prometheus.path")
                || key.equals("quarkus.http.non-application-root-path") || key.equals("quarkus.http.root-path"));
        assertThat(services.get("analytics-job").environment().keySet()).noneMatch(key -> key.contains("UI_PORT"));

        Map<String, String> scraped = new java.util.TreeMap<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            Map<?, ?> config = (Map<?, ?>) job;
            List<?> targets = (List<?>) ((Map<?, ?>) ((List<?>) config.get("static_configs")).get(0)).get("targets");
            for (Object target : targets) {
                scraped.put(String.valueOf(config.get("job_name")), target + " " + config.get("metrics_path"));
            }
        }
        assertThat(scraped).isEqualTo(new java.util.TreeMap<>(expected));
        // The configuration Prometheus runs with is this file.
        Service server = services.get("prometheus");
        assertThat(server.volumes()).contains("./monitoring/prometheus:/etc/prometheus:ro");
        assertThat(server.commandLine()).contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    /** The service's HTTP port, as application.properties sets it. */
    static int servicePort() {
        Properties properties = CODE.serviceProperties();
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    private static List<Service> kafkaNodes(Map<String, Service> services) {
        return services.values().stream().filter(s -> s.environment().containsKey("KAFKA_LISTENERS")).toList();
    }

    private static int kafkaNodeNumber(String listener) {
        String host = listener.split(":")[0];
        return host.equals("kafka") ? 1 : Integer.parseInt(host.substring("kafka-".length()));
    }

    /** NAME://host:port,... as NAME -> port (or host:port when the host is named). */
    private static Map<String, String> listeners(String text) {
        Map<String, String> listeners = new java.util.LinkedHashMap<>();
        for (String listener : text.split(",")) {
            String[] nameAndAddress = listener.split("://");
            String address = nameAndAddress[1];
            listeners.put(nameAndAddress[0], address.startsWith(":") ? address.substring(1) : address);
        }
        return listeners;
    }

    private static URI uriIn(String command) {
        Matcher url = Pattern.compile("https?://\\S+").matcher(command);
        assertThat(url.find()).as("a URL in %s", command).isTrue();
        return URI.create(url.group());
    }
}

package dev.shopstream.producer.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ProjectLayout;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus server (Debian's binary) scrapes the packaged service with the project's alert rules
 * loaded, and answers a query for the lag gauge with what GET /metrics/pipeline shows.
 */
@QuarkusIntegrationTest
class PrometheusScrapeIT {

    static { RealInfrastructure.class.getName(); }

    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path workDir;
    private static Process prometheus;
    private static URI api;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Started before the first test, once the service runs and its port is known. */
    @BeforeEach
    void startPrometheus() throws IOException {
        if (prometheus == null) {
            start();
        }
    }

    private static void start() throws IOException {
        if (!Files.isExecutable(PROMETHEUS)) {
            String missing = "The Prometheus scrape test needs Debian's Prometheus server at " + PROMETHEUS
                    + ": apt-get install -y prometheus (.ci/run does it)";
            if (System.getenv("CI") != null) {
                fail(missing);
            }
            Assumptions.assumeTrue(false, missing + "; skipped outside CI");
        }
        workDir = Files.createTempDirectory("prometheus-scrape-it");
        int port = KafkaBrokerProcess.freePort();
        Path rules = ProjectLayout.locate().root().resolve("monitoring/prometheus/alerts.yml");
        // Scraped every second; the job name is the one the alert rules expect.
        Files.writeString(workDir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: producer-service
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(rules, RestAssured.port));
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + workDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
        api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor();
            }
        }
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void shouldAnswerAQueryForTheLagWithWhatThePipelineEndpointShows() throws Exception {
        AnalyticsFixture.load();
        JsonNode pipeline = readJson(given().when().get("/metrics/pipeline").then().statusCode(200).extract().asString());
        long total = pipeline.get("offsets_behind_latest").asLong();
        List<String> perQuery = new ArrayList<>();
        for (JsonNode query : pipeline.get("queries")) {
            if (!query.get("offsets_behind_latest").isNull()) {
                perQuery.add(query.get("query_name").asText() + "=" + query.get("offsets_behind_latest").asLong());
            }
        }
        assertThat(total).isEqualTo(1245);
        assertThat(perQuery).containsExactly("category_activity=45", "shop_analytics=1200");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(instantValues("sum(shopstream_pipeline_offsets_behind_latest)")).containsExactly("=" + total);
            assertThat(instantValues("shopstream_pipeline_offsets_behind_latest")).containsExactlyElementsOf(perQuery);
        });
        assertThat(instantValues("up{job=\"producer-service\"}")).containsExactly("=1");
    }

    @Test
    void shouldLoadEveryAlertRuleOfTheProject() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode groups = get("rules?type=alert").get("data").get("groups");
            List<String> rules = new ArrayList<>();
            for (JsonNode group : groups) {
                for (JsonNode rule : group.get("rules")) {
                    assertThat(rule.get("health").asText()).as(rule.get("name").asText()).isEqualTo("ok");
                    rules.add(rule.get("name").asText());
                }
            }
            assertThat(rules).containsExactly("ShopStreamServiceDown", "ShopStreamJobDown", "ShopStreamQueryStalled",
                    "ShopStreamLagGrowing", "ShopStreamDataStale", "ShopStreamRejectedEventsBurst", "ShopStreamRowsQuarantined",
                    "ShopStreamProducerFailing",
                    "ShopStreamProducerNotDelivering");
        });
    }

    /** An instant query's result, one "query=value" per series ("=value" for a series without that label), sorted. */
    private List<String> instantValues(String promql) throws Exception {
        List<String> values = new ArrayList<>();
        for (JsonNode series : get("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("data").get("result")) {
            values.add(series.get("metric").path("query").asText("") + "=" + series.get("value").get(1).asText());
        }
        values.sort(null);
        return values;
    }

    private JsonNode get(String path) throws Exception {
        if (!prometheus.isAlive()) {
            fail("Prometheus exited with status " + prometheus.exitValue() + ": " + Files.readString(workDir.resolve("prometheus.log")));
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYetListening) {
            throw new AssertionError("Prometheus does not answer yet: " + notYetListening, notYetListening);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return readJson(response.body());
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.shopstream.producer.analytics;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.common.http.TestHTTPResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identical reads in flight share one database query (AnalyticsRepository): the database runs fewer queries than
 * the requests it answers (counted by the repository's own counter of the statements it sends to the pool,
 * Prometheus shopstream_api_database_queries_total), every one of them still gets the exact rows, and a read that
 * starts after a write always sees it, since nothing is kept once answered.
 */
@QuarkusTest
class IdenticalReadsTest {

    static { RealInfrastructure.class.getName(); }

    private static final String TOP_TWO_W3 = "["
            + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0007\",\"view_count\":42,"
            + AnalyticsResourceTest.OPEN + "},"
            + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0001\",\"view_count\":17,"
            + AnalyticsResourceTest.OPEN + "}]";

    @TestHTTPResource("/metrics/product-views?limit=2")
    URL topTwo;

    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void knownRows() {
        AnalyticsFixture.load();
    }

    @Test
    void shouldGiveEachOfManyConcurrentIdenticalReadsTheExactRowsFromFewerQueries() throws Exception {
        // The repository, and its counter, exist from the first read on (RestAssured: this client's connections stay HTTP/1.1).
        io.restassured.RestAssured.given().when().get("/metrics/product-views?limit=2").then().statusCode(200);
        double queriesBefore = queries();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 64; i++) {
                responses.add(http.sendAsync(HttpRequest.newBuilder(topTwo.toURI()).build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get().statusCode()).isEqualTo(200);
            assertThat(response.get().body()).isEqualTo(TOP_TWO_W3);
        }
        double queries = queries() - queriesBefore;
        // Without the sharing, each of the 320 requests runs its own query: exactly 320.
        assertThat(queries).as("queries run for %d requests", responses.size()).isGreaterThanOrEqualTo(1).isLessThan(responses.size());
    }

    /** Statements the repository has sent to PostgreSQL so far. */
    private double queries() {
        return registry.get(AnalyticsRepository.QUERIES_METRIC).counter().count();
    }

    @Test
    void shouldSeeARowWrittenBeforeTheReadStarted() throws Exception {
        assertThat(read(topTwo.toURI())).isEqualTo(TOP_TWO_W3);
        AnalyticsFixture.execute("""
                INSERT INTO product_view_window (window_start, window_end, product_id, view_count)
                VALUES ('2026-11-25T02:36:00Z', '2026-11-25T02:38:00Z', 'prod_0042', 3)""");
        assertThat(read(topTwo.toURI())).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:36:00Z\",\"window_end\":\"2026-11-25T02:38:00Z\",\"product_id\":\"prod_0042\",\"view_count\":3,"
                + AnalyticsResourceTest.OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0007\",\"view_count\":42,"
                + AnalyticsResourceTest.OPEN + "}]");
    }

    private String read(URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}

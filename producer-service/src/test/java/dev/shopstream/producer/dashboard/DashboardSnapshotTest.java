package dev.shopstream.producer.dashboard;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesRegex;
import static org.hamcrest.Matchers.not;

/**
 * GET /dashboard/snapshot over the known rows in the real PostgreSQL: the exact payload. The only values that
 * cannot be exact are the clock's (when the snapshot was taken, how old a batch is): each is checked against the
 * fixture's ages, then replaced by a marker so that the rest of the payload is compared as one string.
 */
@QuarkusTest
class DashboardSnapshotTest {

    static { RealInfrastructure.class.getName(); }

    /** Decimals stay exactly as the service wrote them (1299.90, 0.00, 0.0): no double, no trailing zeros stripped. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    /** The longest a test may take from loading the fixture to reading the snapshot. */
    private static final double SLACK_SECONDS = 30;

    /** W2 is final and the audit found it exact; W3 is open, and not audited (AnalyticsFixture). */
    private static final String W2 = "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"final\":true,"
            + "\"audit\":{\"verdict\":\"exact\",\"unexplained\":0,\"mismatched_keys\":0,\"audited_at\":\"2026-11-25T02:45:00Z\"}}";
    private static final String W3 = "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"final\":false,"
            + "\"audit\":null}";
    private static final String W2_W3 = "\"windows\":[" + W2 + "," + W3 + "]";
    /** The same windows in category_revenue_window: its audit's difference is an amount, to the cent. */
    private static final String W2_W3_REVENUE = W2_W3.replace("\"unexplained\":0,", "\"unexplained\":0.00,");

    @BeforeEach
    void knownRows() {
        AnalyticsFixture.load();
    }

    @Test
    void shouldAnswerEverythingThePageShowsInOneSnapshot() throws Exception {
        long sent = given().when().get("/producer").then().extract().jsonPath().getLong("events_sent");
        JsonNode snapshot = snapshot("/dashboard/snapshot");

        ObjectNode pipeline = (ObjectNode) snapshot.get("pipeline");
        clock(pipeline, "checked_at");
        age(pipeline, "freshness_seconds", 3);
        assertThat(pipeline.get("producer").get("events_sent").asLong()).isEqualTo(sent);
        ((ObjectNode) pipeline.get("producer")).put("events_sent", "<sent>");
        // category_activity, category_revenue (queries of no known table), shop_analytics: last batch 25 s, 2 h
        // and 10 s ago; shop_analytics writes the three tables, updated 5, 7 and 3 s ago: its freshness is 3 s.
        query(pipeline, 0, 25, null);
        query(pipeline, 1, 7200, null);
        query(pipeline, 2, 10, 3.0);
        retention(pipeline);

        assertThat(JSON.writeValueAsString(snapshot)).isEqualTo("{\"windows\":10,"
                + "\"pipeline\":{\"status\":\"running\",\"checked_at\":\"<clock>\",\"freshness_seconds\":\"<age>\",\"offsets_behind_latest\":1245,\"rejected_events\":3,\"quarantined_rows\":4,"
                + "\"producer\":{\"events_per_second\":0.0,\"max_events_per_second\":200000.0,\"paused\":true,\"events_sent\":\"<sent>\","
                + "\"events_failed\":0,\"events_dropped\":0,\"seed\":42,\"last_error\":null},"
                + "\"queries\":["
                + "{\"query_name\":\"category_activity\",\"tables\":[],\"status\":\"running\",\"last_batch_id\":1,"
                + "\"last_batch_time\":\"<clock>\",\"last_batch_duration_ms\":5000,\"last_batch_input_rows\":1500,\"rows_per_second\":300.0,"
                + "\"seconds_since_last_batch\":\"<age>\",\"offsets_behind_latest\":45,\"batches\":2,\"input_rows\":1700,\"late_rows_dropped\":4,\"rejected_rows\":3,\"quarantined_rows\":1,"
                + "\"newest_update\":null,\"freshness_seconds\":null},"
                + "{\"query_name\":\"category_revenue\",\"tables\":[],\"status\":\"idle\",\"last_batch_id\":0,"
                + "\"last_batch_time\":\"<clock>\",\"last_batch_duration_ms\":5000,\"last_batch_input_rows\":1700,\"rows_per_second\":340.0,"
                + "\"seconds_since_last_batch\":\"<age>\",\"offsets_behind_latest\":null,\"batches\":1,\"input_rows\":1700,\"late_rows_dropped\":4,\"rejected_rows\":3,\"quarantined_rows\":0,"
                + "\"newest_update\":null,\"freshness_seconds\":null},"
                + "{\"query_name\":\"shop_analytics\",\"tables\":[\"product_view_window\",\"category_activity_window\",\"category_revenue_window\"],\"status\":\"running\",\"last_batch_id\":2,"
                + "\"last_batch_time\":\"<clock>\",\"last_batch_duration_ms\":500,\"last_batch_input_rows\":200,\"rows_per_second\":400.0,"
                + "\"seconds_since_last_batch\":\"<age>\",\"offsets_behind_latest\":1200,\"batches\":3,\"input_rows\":1700,\"late_rows_dropped\":4,\"rejected_rows\":3,\"quarantined_rows\":3,"
                + "\"newest_update\":\"<clock>\",\"freshness_seconds\":\"<age>\"}]" + RETENTION + "},"
                + "\"top_products\":{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"final\":false,\"audit\":null,\"products\":["
                + "{\"rank\":1,\"product_id\":\"prod_0007\",\"view_count\":42},{\"rank\":2,\"product_id\":\"prod_0001\",\"view_count\":17},"
                + "{\"rank\":3,\"product_id\":\"prod_0003\",\"view_count\":17},{\"rank\":4,\"product_id\":\"prod_0100\",\"view_count\":1}]},"
                + "\"category_events\":{" + W2_W3 + ",\"categories\":["
                + "{\"category\":\"electronics\",\"values\":[100,120]},{\"category\":\"books\",\"values\":[3,80]},"
                + "{\"category\":\"home & kitchen\",\"values\":[0,80]}]},"
                + "\"category_revenue\":{" + W2_W3_REVENUE + ",\"categories\":["
                + "{\"category\":\"electronics\",\"values\":[4999.99,1299.90]},{\"category\":\"books\",\"values\":[0.30,35.97]},"
                + "{\"category\":\"home & kitchen\",\"values\":[0.00,0.10]}]},"
                + "\"audit\":{\"windows_audited\":2,\"all_exact\":false,\"first_mismatch\":{\"window_start\":\"2026-11-25T02:30:00Z\","
                + "\"window_end\":\"2026-11-25T02:32:00Z\",\"table\":\"category_activity_window\",\"unexplained\":-1,\"key\":\"home & kitchen\"},"
                + "\"last_audited_at\":\"2026-11-25T02:45:00Z\"}}");
    }

    @Test
    void shouldSummariseTheAuditAsAllExactOnceEveryAuditedWindowMatches() throws Exception {
        AnalyticsFixture.execute("DELETE FROM audit_window WHERE window_start = '" + AnalyticsFixture.W1 + "'");
        assertThat(JSON.writeValueAsString(snapshot("/dashboard/snapshot").get("audit"))).isEqualTo("{\"windows_audited\":1,"
                + "\"all_exact\":true,\"first_mismatch\":null,\"last_audited_at\":\"2026-11-25T02:45:00Z\"}");
    }

    /** Issue 28: the series and the audit carry revenue no double holds, to the cent. */
    @Test
    void shouldCarryRevenueBeyondADoublesPrecisionToTheCent() throws Exception {
        AnalyticsFixture.loadWithHugeRevenue();
        JsonNode snapshot = snapshot("/dashboard/snapshot");
        assertThat(JSON.writeValueAsString(snapshot.get("category_revenue"))).isEqualTo("{" + W2_W3_REVENUE + ",\"categories\":["
                + "{\"category\":\"electronics\",\"values\":[4999.99,999999999999999999999999.99]},"
                + "{\"category\":\"books\",\"values\":[0.30,123456789012345678.91]},"
                + "{\"category\":\"home & kitchen\",\"values\":[0.00,0.10]}]}");
        assertThat(JSON.writeValueAsString(snapshot.get("audit"))).isEqualTo("{\"windows_audited\":2,\"all_exact\":false,"
                + "\"first_mismatch\":{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\","
                + "\"table\":\"category_revenue_window\",\"unexplained\":-999999999999999999999999.99,\"key\":\"home & kitchen\"},"
                + "\"last_audited_at\":\"2026-11-25T02:45:00Z\"}");
    }

    @Test
    void shouldCoverOnlyTheLastWindowsAndTheTopProductsAsked() throws Exception {
        // An older window (02:26): inside a span of 5 windows ending at 02:34, outside one of 2.
        AnalyticsFixture.execute("""
                INSERT INTO category_activity_window (window_start, window_end, category, event_count) VALUES
                  ('2026-11-25T02:26:00Z', '2026-11-25T02:28:00Z', 'toys', 7);
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue) VALUES
                  ('2026-11-25T02:26:00Z', '2026-11-25T02:28:00Z', 'toys', 12.50);
                """);

        JsonNode two = snapshot("/dashboard/snapshot?windows=2&top=2");
        assertThat(two.get("windows").asInt()).isEqualTo(2);
        assertThat(JSON.writeValueAsString(two.get("top_products"))).isEqualTo("{\"window_start\":\"2026-11-25T02:34:00Z\","
                + "\"window_end\":\"2026-11-25T02:36:00Z\",\"final\":false,\"audit\":null,\"products\":[{\"rank\":1,\"product_id\":\"prod_0007\",\"view_count\":42},"
                + "{\"rank\":2,\"product_id\":\"prod_0001\",\"view_count\":17}]}");
        assertThat(JSON.writeValueAsString(two.get("category_events"))).isEqualTo("{" + W2_W3 + ",\"categories\":["
                + "{\"category\":\"electronics\",\"values\":[100,120]},{\"category\":\"books\",\"values\":[3,80]},"
                + "{\"category\":\"home & kitchen\",\"values\":[0,80]}]}");

        JsonNode five = snapshot("/dashboard/snapshot?windows=5");
        // 02:26 is final too, and not audited.
        String windows = "\"windows\":[{\"window_start\":\"2026-11-25T02:26:00Z\",\"window_end\":\"2026-11-25T02:28:00Z\",\"final\":true,\"audit\":null},"
                + W2 + "," + W3 + "]";
        assertThat(JSON.writeValueAsString(five.get("category_events"))).isEqualTo("{" + windows + ",\"categories\":["
                + "{\"category\":\"electronics\",\"values\":[0,100,120]},{\"category\":\"books\",\"values\":[0,3,80]},"
                + "{\"category\":\"home & kitchen\",\"values\":[0,0,80]},{\"category\":\"toys\",\"values\":[7,0,0]}]}");
        assertThat(JSON.writeValueAsString(five.get("category_revenue"))).isEqualTo("{" + windows.replace("\"unexplained\":0,", "\"unexplained\":0.00,")
                + ",\"categories\":["
                + "{\"category\":\"electronics\",\"values\":[0.00,4999.99,1299.90]},{\"category\":\"books\",\"values\":[0.00,0.30,35.97]},"
                + "{\"category\":\"toys\",\"values\":[12.50,0.00,0.00]},{\"category\":\"home & kitchen\",\"values\":[0.00,0.00,0.10]}]}");

        JsonNode one = snapshot("/dashboard/snapshot?windows=1");
        assertThat(JSON.writeValueAsString(one.get("category_revenue"))).isEqualTo("{\"windows\":[" + W3 + "],\"categories\":[{\"category\":\"electronics\",\"values\":[1299.90]},"
                + "{\"category\":\"books\",\"values\":[35.97]},{\"category\":\"home & kitchen\",\"values\":[0.10]}]}");
    }

    /** W1 is off in both category tables; each series' window carries the verdict of its own table. */
    @Test
    void shouldGiveEachSeriesWindowTheVerdictOfItsOwnTable() throws Exception {
        AnalyticsFixture.execute("""
                INSERT INTO category_activity_window (window_start, window_end, category, event_count) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', 1);
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', 2.50);
                """.formatted(AnalyticsFixture.W1));
        JsonNode snapshot = snapshot("/dashboard/snapshot?windows=3");
        String w1 = "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\",\"final\":true,\"audit\":{\"verdict\":\"mismatch\","
                + "\"unexplained\":%s,\"mismatched_keys\":1,\"audited_at\":\"2026-11-25T02:40:00Z\"}}";
        assertThat(JSON.writeValueAsString(snapshot.get("category_events").get("windows").get(0))).isEqualTo(w1.formatted("-1"));
        assertThat(JSON.writeValueAsString(snapshot.get("category_revenue").get("windows").get(0))).isEqualTo(w1.formatted("-4.99"));
    }

    @Test
    void shouldSayItIsWaitingBeforeTheFirstWindow() throws Exception {
        AnalyticsFixture.empty();
        JsonNode snapshot = snapshot("/dashboard/snapshot");
        ObjectNode pipeline = (ObjectNode) snapshot.get("pipeline");
        clock(pipeline, "checked_at");
        ((ObjectNode) pipeline.get("producer")).put("events_sent", "<sent>");
        retention(pipeline);

        assertThat(JSON.writeValueAsString(snapshot)).isEqualTo("{\"windows\":10,"
                + "\"pipeline\":{\"status\":\"waiting_for_data\",\"checked_at\":\"<clock>\",\"freshness_seconds\":null,\"offsets_behind_latest\":null,\"rejected_events\":0,\"quarantined_rows\":0,"
                + "\"producer\":{\"events_per_second\":0.0,\"max_events_per_second\":200000.0,\"paused\":true,\"events_sent\":\"<sent>\","
                + "\"events_failed\":0,\"events_dropped\":0,\"seed\":42,\"last_error\":null},\"queries\":[]" + RETENTION + "},"
                + "\"top_products\":{\"window_start\":null,\"window_end\":null,\"final\":false,\"audit\":null,\"products\":[]},"
                + "\"category_events\":{\"windows\":[],\"categories\":[]},"
                + "\"category_revenue\":{\"windows\":[],\"categories\":[]},"
                + "\"audit\":{\"windows_audited\":0,\"all_exact\":true,\"first_mismatch\":null,\"last_audited_at\":null}}");
    }

    @Test
    void shouldRefuseBadParameters() {
        badRequest("/dashboard/snapshot?windows=0", "windows", "windows must be from 1 to 60, got 0");
        badRequest("/dashboard/snapshot?windows=61", "windows", "windows must be from 1 to 60, got 61");
        badRequest("/dashboard/snapshot?windows=ten", "windows", "windows must be a whole number from 1 to 60, got 'ten'");
        badRequest("/dashboard/snapshot?top=0", "top", "top must be from 1 to 50, got 0");
        badRequest("/dashboard/snapshot?top=51", "top", "top must be from 1 to 50, got 51");
    }

    @Test
    void shouldAnswer503WhileTheDatabaseIsDownAndRecoverAfterwards() {
        try {
            AnalyticsFixture.allowConnections(false);
            given().when().get("/dashboard/snapshot").then().statusCode(503).contentType("application/json")
                    .body("status", equalTo(503))
                    .body("error", equalTo("Service Unavailable"))
                    .body("message", containsString("The analytics database is unavailable"));
        } finally {
            AnalyticsFixture.allowConnections(true);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/dashboard/snapshot").then().statusCode(200).body("top_products.products[0].view_count", equalTo(42)));
    }

    @Test
    void shouldServeThePageAndItsChartLibraryFromTheServiceItself() {
        String page = given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<title>ShopStream · live pipeline</title>")).extract().asString();
        String script = given().when().get("/assets/dashboard.js").then().statusCode(200).extract().asString();
        // Works with no internet: nothing is loaded from another host.
        assertThat(page).doesNotContain("http://", "https://", "//cdn");
        assertThat(script).doesNotContain("http://", "https://");

        given().redirects().follow(false).when().get("/dashboard").then().statusCode(303)
                .header("Location", matchesRegex("http://[^/]+/"));
        String library = given().redirects().follow(false).when().get("/dashboard/vendor/echarts.min.js").then().statusCode(307)
                .header("Location", matchesRegex("http://[^/]+/webjars/echarts/[0-9][0-9.]*/dist/echarts\\.min\\.js"))
                .extract().header("Location");
        given().when().get(library).then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("Apache"), not(containsString("sourceMappingURL=http")));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static JsonNode snapshot(String path) throws Exception {
        String body = given().when().get(path).then().statusCode(200).contentType("application/json").extract().asString();
        return JSON.readTree(body);
    }

    private static void badRequest(String path, String parameter, String message) {
        given().when().get(path).then().statusCode(400).contentType("application/json")
                .body("status", equalTo(400)).body("error", equalTo("Bad Request"))
                .body("parameter", equalTo(parameter)).body("message", equalTo(message));
    }

    /** The checks of one query's clock values: its last batch and its table's newest update, so many seconds ago. */
    private static void query(ObjectNode pipeline, int index, double batchAge, Double tableAge) {
        ObjectNode query = (ObjectNode) pipeline.get("queries").get(index);
        age(query, "seconds_since_last_batch", batchAge);
        clock(query, "last_batch_time");
        if (tableAge == null) {
            assertThat(query.get("freshness_seconds").isNull()).as("freshness_seconds").isTrue();
            assertThat(query.get("newest_update").isNull()).as("newest_update").isTrue();
            return;
        }
        age(query, "freshness_seconds", tableAge);
        clock(query, "newest_update");
    }

    /** An age in seconds, from the fixture's {@code now() - interval}, read a little later. */
    private static void age(ObjectNode node, String field, double fixtureAge) {
        assertThat(node.get(field).isNumber()).as(field).isTrue();
        assertThat(node.get(field).asDouble()).as(field).isBetween(fixtureAge, fixtureAge + SLACK_SECONDS);
        node.put(field, "<age>");
    }

    /**
     * The retention counters count since the service started, so they depend on which test classes ran before
     * (RetentionTest deletes rows): checked to be counts and a time or null, then replaced by markers.
     */
    private static void retention(ObjectNode pipeline) {
        ObjectNode retention = (ObjectNode) pipeline.get("retention");
        for (String count : new String[] {"window_rows_deleted", "rejected_events_deleted", "quarantined_rows_deleted"}) {
            assertThat(retention.get(count).canConvertToLong() && retention.get(count).asLong() >= 0).as(count).isTrue();
            retention.put(count, "<count>");
        }
        if (!retention.get("last_run").isNull()) {
            clock(retention, "last_run");
        }
        retention.put("last_run", "<run>");
    }

    private static final String RETENTION = ",\"retention\":{\"keep_window_rows_seconds\":604800,\"keep_rejected_events_seconds\":604800,"
            + "\"keep_quarantined_rows_seconds\":2592000,\"window_rows_deleted\":\"<count>\",\"rejected_events_deleted\":\"<count>\","
            + "\"quarantined_rows_deleted\":\"<count>\",\"last_run\":\"<run>\"}";

    /** A time the database stamped: an ISO-8601 instant of the last hours. */
    private static void clock(ObjectNode node, String field) {
        Instant value = Instant.parse(node.get(field).asText());
        assertThat(value).as(field).isBetween(Instant.now().minus(Duration.ofHours(3)), Instant.now().plusSeconds(60));
        node.put(field, "<clock>");
    }
}

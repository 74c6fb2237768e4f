package dev.shopstream.producer.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import dev.shopstream.producer.testing.ServedDocument;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The served OpenAPI document describes the API as it answers: every operation's real answers over known rows
 * (successes, refusals, a database outage) are valid by the document's schema for their operation and status,
 * with every property named as on the wire, and every answer the document describes is exercised here.
 */
@QuarkusTest
class OpenApiConformanceTest {

    static { RealInfrastructure.class.getName(); }

    /** One request and the status it gets; {@code template} is the operation's path as the document names it. */
    record Call(String method, String template, String path, String body, int status) {

        static Call get(String template, String query, int status) {
            return new Call("GET", template, template + query, null, status);
        }

        static Call putRate(String body, int status) {
            return new Call("PUT", "/producer/rate", "/producer/rate", body, status);
        }

        Response send() {
            RequestSpecification request = given();
            if (body != null) {
                request.contentType(ContentType.JSON).body(body);
            }
            return request.when().request(method, path);
        }

        String answer() {
            return method + " " + template + " " + status;
        }

        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + body) + " -> " + status;
        }
    }

    /** With the fixture's rows: each operation's successes (with and without data) and refusals. */
    static Stream<Call> answers() {
        return Stream.of(
                Call.get("/producer", "", 200),
                Call.putRate("{\"events_per_second\": 0}", 200),
                Call.putRate("{}", 400),
                Call.putRate("[1]", 400),
                Call.get("/metrics/product-views", "", 200),
                Call.get("/metrics/product-views", "?product_id=prod_9999", 200),
                Call.get("/metrics/product-views", "?limit=0", 400),
                Call.get("/metrics/product-views", "?final=true", 200),
                Call.get("/metrics/product-views", "?final=yes", 400),
                Call.get("/metrics/category-activity", "?final=false", 200),
                Call.get("/metrics/category-revenue", "?final=true", 200),
                Call.get("/metrics/category-revenue", "?final=1", 400),
                Call.get("/metrics/top-categories", "?window_start=2026-11-25T02:32:00Z", 200),
                Call.get("/metrics/category-activity", "?category=books", 200),
                Call.get("/metrics/category-activity", "?from=yesterday", 400),
                Call.get("/metrics/category-revenue", "", 200),
                Call.get("/metrics/category-revenue", "?from=2026-11-25T03:00:00Z&to=2026-11-25T02:00:00Z", 400),
                Call.get("/metrics/top-products", "", 200),
                Call.get("/metrics/top-products", "?window_start=2020-01-01T00:00:00Z", 200),
                Call.get("/metrics/top-products", "?n=many", 400),
                Call.get("/metrics/top-categories", "", 200),
                Call.get("/metrics/top-categories", "?by=revenue", 200),
                Call.get("/metrics/top-categories", "?by=price", 400),
                Call.get("/metrics/pipeline", "", 200),
                Call.get("/metrics/audit", "", 200),
                Call.get("/metrics/audit", "?from=2026-11-25T02:32:00Z", 200),
                Call.get("/metrics/audit", "?from=2030-01-01T00:00:00Z", 200),
                Call.get("/metrics/audit", "?limit=1001", 400),
                Call.get("/dashboard/snapshot", "", 200),
                Call.get("/dashboard/snapshot", "?windows=61", 400));
    }

    /** While the database is away: every read but GET /producer (the generator's own counters) reads it. */
    static List<Call> outage() {
        return answers().filter(call -> call.method().equals("GET") && !call.template().equals("/producer"))
                .map(Call::template).distinct().map(template -> Call.get(template, "", 503)).toList();
    }

    /** A body larger than quarkus.http.limits.max-body-size (16K). */
    static final Call TOO_LARGE = Call.putRate("{\"events_per_second\": 0" + " ".repeat(17 * 1024) + "}", 413);

    private ServedDocument document;

    @BeforeEach
    void knownRowsAndTheServedDocument() {
        AnalyticsFixture.load();
        document = ServedDocument.fetch();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void shouldAnswerAsTheDocumentDescribes(Call call) {
        assertDescribed(call);
    }

    @Test
    void shouldDescribeThePipelineBeforeTheFirstBatch() {
        AnalyticsFixture.empty();
        assertDescribed(Call.get("/metrics/pipeline", "", 200));
        assertDescribed(Call.get("/metrics/audit", "", 200));
        assertDescribed(Call.get("/dashboard/snapshot", "", 200));
    }

    @Test
    void shouldDescribeTheAnswersWhileTheDatabaseIsAway() {
        try {
            AnalyticsFixture.allowConnections(false);
            outage().forEach(this::assertDescribed);
        } finally {
            AnalyticsFixture.allowConnections(true);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/metrics/product-views?limit=1").then().statusCode(200));
    }

    @Test
    void shouldDescribeTheRefusalOfABodyTooLarge() {
        assertDescribed(TOO_LARGE);
    }

    /** The judge itself: an answer with a property renamed, or of the wrong type, or missing, is not described. */
    @Test
    void shouldFindAnAnswerThatDriftedFromTheDocument() {
        String row = "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0007\",\"view_count\":42,"
                + "\"final\":false,\"audit\":null}";
        assertThat(problems("[" + row + "]")).isEmpty();
        assertThat(problems("[" + row.replace("window_start", "windowStart") + "]")).isNotEmpty();
        assertThat(problems("[" + row.replace("42", "\"42\"") + "]")).isNotEmpty();
        assertThat(problems("[" + row.replace(",\"view_count\":42", "") + "]")).isNotEmpty();
        assertThat(problems("[" + row.replace("2026-11-25T02:36:00Z", "yesterday") + "]")).isNotEmpty();
    }

    /** The fixture's W1 is off in both category tables: with rows in it, its windows carry the mismatch, as the document says. */
    @Test
    void shouldDescribeTheWindowsOfAnAuditMismatch() {
        AnalyticsFixture.execute("""
                INSERT INTO category_activity_window (window_start, window_end, category, event_count) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', 1);
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', 2.50);
                """.formatted(AnalyticsFixture.W1));
        Stream.of(Call.get("/metrics/category-activity", "?final=true", 200), Call.get("/metrics/category-revenue", "?to=" + AnalyticsFixture.W1, 200),
                Call.get("/metrics/top-categories", "?by=revenue&window_start=" + AnalyticsFixture.W1, 200),
                Call.get("/dashboard/snapshot", "?windows=3", 200)).forEach(call -> {
            assertThat(call.send().asString()).as(call.toString()).contains("\"verdict\":\"mismatch\"");
            assertDescribed(call);
        });
    }

    /** Every window row says whether it is final and the audit's verdict, or null: a row without them, or with another verdict, drifted. */
    @Test
    void shouldFindAWindowRowWithoutItsFinalFlagOrWithAnUnknownVerdict() {
        String audited = "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"product_id\":\"prod_0007\",\"view_count\":30,"
                + "\"final\":true,\"audit\":{\"verdict\":\"mismatch\",\"unexplained\":-1,\"mismatched_keys\":1,\"audited_at\":\"2026-11-25T02:40:00Z\"}}";
        assertThat(problems("[" + audited + "]")).isEmpty();
        assertThat(problems("[" + audited.replace(",\"final\":true", "") + "]")).isNotEmpty();
        assertThat(problems("[" + audited.replace("\"final\":true", "\"final\":\"true\"") + "]")).isNotEmpty();
        assertThat(problems("[" + audited.replace("\"final\":true", "\"is_final\":true") + "]")).isNotEmpty();
        assertThat(problems("[" + audited.replace("mismatch", "approximate") + "]")).isNotEmpty();
        assertThat(problems("[" + audited.replace(",\"mismatched_keys\":1", "") + "]")).isNotEmpty();
        assertThat(problems("[" + audited.replace("\"audit\":{", "\"audit\":{\"key\":\"books\",") + "]")).isNotEmpty();
    }

    /** The three window endpoints document final as a boolean query parameter; the rows, leaders and snapshot windows the flag and the verdict. */
    @Test
    void shouldDescribeTheFinalFilterAndTheFinalFlagOfEveryWindow() {
        for (String path : List.of("/metrics/product-views", "/metrics/category-activity", "/metrics/category-revenue")) {
            List<String> parameters = new ArrayList<>();
            document.json().at("/paths/" + path.replace("/", "~1") + "/get/parameters").forEach(p -> parameters.add(p.path("$ref").asText()));
            assertThat(parameters).as(path).contains("#/components/parameters/final");
        }
        JsonNode parameter = document.json().at("/components/parameters/final");
        assertThat(parameter.get("in").asText()).isEqualTo("query");
        assertThat(parameter.at("/schema/type").asText()).isEqualTo("boolean");
        for (String schema : List.of("ProductViews", "CategoryActivity", "CategoryRevenue", "TopProducts", "TopCategories", "Window")) {
            JsonNode properties = document.json().at("/components/schemas/" + schema + "/properties");
            assertThat(properties.at("/final/type").asText()).as(schema).isEqualTo("boolean");
            assertThat(properties.at("/audit/anyOf/0/$ref").asText()).as(schema).isEqualTo("#/components/schemas/AuditVerdict");
            assertThat(properties.at("/audit/anyOf/1/type").asText()).as(schema).isEqualTo("null");
        }
        assertThat(document.json().at("/components/schemas/AuditVerdict/properties/verdict/enum").toString()).isEqualTo("[\"exact\",\"mismatch\"]");
        assertThat(document.json().at("/components/schemas/AuditVerdict/properties/unexplained/$ref").asText())
                .isEqualTo("#/components/schemas/Amount");
    }

    /** Issue 28: revenue up to the most numeric(38, 2) holds is an answer the document describes. */
    @Test
    void shouldDescribeRevenueOfAnyMagnitudeTheTablesHold() {
        AnalyticsFixture.loadWithHugeRevenue();
        AnalyticsFixture.execute("UPDATE category_revenue_window SET total_revenue = " + AnalyticsFixture.LARGEST_REVENUE
                + " WHERE window_start = '" + AnalyticsFixture.W2 + "' AND category = 'books'");
        Stream.of(Call.get("/metrics/category-revenue", "", 200), Call.get("/metrics/top-categories", "?by=revenue", 200),
                Call.get("/metrics/audit", "", 200), Call.get("/dashboard/snapshot", "", 200)).forEach(this::assertDescribed);
    }

    /** An amount is an exact decimal to the cent, and nothing in the document caps it: neither Amount nor a use of it. */
    @Test
    void shouldDescribeAnAmountAsAnExactDecimalWithoutAnUpperBound() {
        JsonNode amount = document.json().at("/components/schemas/Amount");
        assertThat(amount.get("type").asText()).isEqualTo("number");
        assertThat(amount.get("format").asText()).isEqualTo("decimal");
        assertThat(amount.get("multipleOf").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(amount.get("description").asText()).contains("up to 36 integer digits");
        List<JsonNode> uses = new ArrayList<>();
        uses.add(amount);
        collectUses(document.json(), "#/components/schemas/Amount", uses);
        assertThat(uses).hasSizeGreaterThan(5)
                .allSatisfy(schema -> assertThat(schema.has("maximum") || schema.has("exclusiveMaximum")).as(schema.toString()).isFalse());
    }

    /** The judge at that magnitude: the largest amount numeric(38, 2) holds passes, a third decimal place does not. */
    @Test
    void shouldJudgeAnAmountToTheCentAtAnyMagnitude() {
        String row = "[{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"books\","
                + "\"total_revenue\":%s,\"final\":false,\"audit\":null}]";
        assertThat(document.problems("GET", "/metrics/category-revenue", 200, "application/json",
                row.formatted(AnalyticsFixture.LARGEST_REVENUE))).isEmpty();
        assertThat(document.problems("GET", "/metrics/category-revenue", 200, "application/json",
                row.formatted("999999999999999999999999.999"))).isNotEmpty();
    }

    /**
     * Every answer the document describes is exercised above; the 401 of PUT /producer/rate by
     * ControlTokenConformanceTest, under a control token.
     */
    @Test
    void shouldExerciseEveryAnswerTheDocumentDescribes() {
        Set<String> exercised = new TreeSet<>();
        Stream.concat(Stream.concat(answers(), outage().stream()), Stream.of(TOO_LARGE)).map(Call::answer).forEach(exercised::add);
        exercised.add("PUT /producer/rate 401");
        assertThat(exercised).isEqualTo(document.answers());
    }

    /** Every schema in the tree that refers to {@code ref}. */
    private static void collectUses(JsonNode node, String ref, List<JsonNode> uses) {
        if (ref.equals(node.path("$ref").asText())) {
            uses.add(node);
        }
        node.forEach(child -> collectUses(child, ref, uses));
    }

    private List<String> problems(String productViews) {
        return document.problems("GET", "/metrics/product-views", 200, "application/json", productViews);
    }

    private void assertDescribed(Call call) {
        Response response = call.send();
        assertThat(response.statusCode()).as(call + ": " + response.asString()).isEqualTo(call.status());
        assertThat(document.problems(call.method(), call.template(), call.status(), response.contentType(), response.asString()))
                .as(call + ": " + response.asString()).isEmpty();
    }
}

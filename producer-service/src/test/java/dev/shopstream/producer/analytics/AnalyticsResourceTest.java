package dev.shopstream.producer.analytics;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.shopstream.producer.testing.ReadRequests.badRequest;
import static dev.shopstream.producer.testing.ReadRequests.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The read API over known rows in the real PostgreSQL: exact JSON, ordering, filters, limits, bad input. */
@QuarkusTest
class AnalyticsResourceTest {

    static { RealInfrastructure.class.getName(); }

    /** The fixture's W3 ends after the watermark of the job's newest batch: open, and not audited. */
    static final String OPEN = "\"final\":false,\"audit\":null";
    /** W2 ends before that watermark, and the audit of 02:45 found every table exact in it. */
    static final String W2_EXACT = "\"final\":true,\"audit\":{\"verdict\":\"exact\",\"unexplained\":0,\"mismatched_keys\":0,"
            + "\"audited_at\":\"2026-11-25T02:45:00Z\"}";
    /** The same in category_revenue_window: an amount, to the cent. */
    static final String W2_EXACT_REVENUE = W2_EXACT.replace("\"unexplained\":0,", "\"unexplained\":0.00,");
    /** W1 is final too; the audit of 02:40 found product_view_window exact in it (the two category tables off). */
    static final String W1_EXACT = "\"final\":true,\"audit\":{\"verdict\":\"exact\",\"unexplained\":0,\"mismatched_keys\":0,"
            + "\"audited_at\":\"2026-11-25T02:40:00Z\"}";

    @BeforeEach
    void knownRows() {
        AnalyticsFixture.load();
    }

    @Test
    void shouldListProductViewsNewestWindowFirstThenMostViewed() {
        assertThat(get("/metrics/product-views")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0007\",\"view_count\":42," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0001\",\"view_count\":17," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0003\",\"view_count\":17," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0100\",\"view_count\":1," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"product_id\":\"prod_0007\",\"view_count\":30," + W2_EXACT + "},"
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"product_id\":\"prod_0002\",\"view_count\":5," + W2_EXACT + "},"
                + "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\",\"product_id\":\"prod_0001\",\"view_count\":9," + W1_EXACT + "}]");
    }

    @Test
    void shouldFilterProductViewsByExactProduct() {
        assertThat(get("/metrics/product-views?product_id=prod_0007")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0007\",\"view_count\":42," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"product_id\":\"prod_0007\",\"view_count\":30," + W2_EXACT + "}]");
    }

    @Test
    void shouldFilterOnWindowStartWithBothEndsIncluded() {
        assertThat(get("/metrics/product-views?from=2026-11-25T02:30:00Z&to=2026-11-25T02:32:00Z")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"product_id\":\"prod_0007\",\"view_count\":30," + W2_EXACT + "},"
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"product_id\":\"prod_0002\",\"view_count\":5," + W2_EXACT + "},"
                + "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\",\"product_id\":\"prod_0001\",\"view_count\":9," + W1_EXACT + "}]");
    }

    @Test
    void shouldReadTimesWithAnOffsetAsTheSameInstant() {
        String body = given().queryParam("from", "2026-11-25T03:34:00+01:00").queryParam("limit", 1)
                .when().get("/metrics/product-views").then().statusCode(200).extract().asString();
        assertThat(body).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0007\",\"view_count\":42," + OPEN + "}]");
    }

    @Test
    void shouldReturnAtMostLimitRows() {
        assertThat(get("/metrics/product-views?limit=2")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0007\",\"view_count\":42," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"product_id\":\"prod_0001\",\"view_count\":17," + OPEN + "}]");
    }

    @Test
    void shouldReturnAnEmptyArrayWhenNothingMatches() {
        assertThat(get("/metrics/product-views?product_id=prod_9999")).isEqualTo("[]");
    }

    @Test
    void shouldListCategoryActivityAndFilterByCategory() {
        assertThat(get("/metrics/category-activity?to=2026-11-25T02:34:00Z&limit=3")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"electronics\",\"event_count\":120," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"books\",\"event_count\":80," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"home & kitchen\",\"event_count\":80," + OPEN + "}]");
        String body = given().queryParam("category", "home & kitchen").when().get("/metrics/category-activity")
                .then().statusCode(200).extract().asString();
        assertThat(body).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"home & kitchen\",\"event_count\":80," + OPEN + "}]");
    }

    @Test
    void shouldListRevenueAsExactDecimals() {
        assertThat(get("/metrics/category-revenue")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"electronics\",\"total_revenue\":1299.90," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"books\",\"total_revenue\":35.97," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"home & kitchen\",\"total_revenue\":0.10," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"category\":\"electronics\",\"total_revenue\":4999.99," + W2_EXACT_REVENUE + "},"
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"category\":\"books\",\"total_revenue\":0.30," + W2_EXACT_REVENUE + "}]");
    }

    @Test
    void shouldTreatSqlLookingTextAsAPlainValue() {
        given().queryParam("product_id", "prod_0007' OR '1'='1").when().get("/metrics/product-views")
                .then().statusCode(200).body(equalTo("[]"));
        given().queryParam("category", "x'; DROP TABLE category_revenue_window;--").when().get("/metrics/category-revenue")
                .then().statusCode(200).body(equalTo("[]"));
        assertThat(get("/metrics/category-revenue?limit=1")).contains("\"total_revenue\":1299.90");
    }

    @Test
    void shouldRankTheProductsOfTheLatestWindow() {
        assertThat(get("/metrics/top-products?n=3")).isEqualTo("{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\","
                + OPEN + ",\"products\":[{\"rank\":1,\"product_id\":\"prod_0007\",\"view_count\":42},"
                + "{\"rank\":2,\"product_id\":\"prod_0001\",\"view_count\":17},"
                + "{\"rank\":3,\"product_id\":\"prod_0003\",\"view_count\":17}]}");
    }

    @Test
    void shouldRankTheProductsOfAGivenWindow() {
        assertThat(get("/metrics/top-products?window_start=2026-11-25T02:32:00Z")).isEqualTo("{\"window_start\":\"2026-11-25T02:32:00Z\","
                + "\"window_end\":\"2026-11-25T02:34:00Z\"," + W2_EXACT + ",\"products\":[{\"rank\":1,\"product_id\":\"prod_0007\",\"view_count\":30},"
                + "{\"rank\":2,\"product_id\":\"prod_0002\",\"view_count\":5}]}");
    }

    @Test
    void shouldRankNothingForAWindowWithoutData() {
        assertThat(get("/metrics/top-products?window_start=2020-01-01T00:00:00Z"))
                .isEqualTo("{\"window_start\":\"2020-01-01T00:00:00Z\",\"window_end\":null," + OPEN + ",\"products\":[]}");
    }

    @Test
    void shouldRankCategoriesByEventsByDefault() {
        assertThat(get("/metrics/top-categories?n=2")).isEqualTo("{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\","
                + "\"by\":\"events\"," + OPEN + ",\"categories\":[{\"rank\":1,\"category\":\"electronics\",\"event_count\":120},"
                + "{\"rank\":2,\"category\":\"books\",\"event_count\":80}]}");
    }

    @Test
    void shouldRankCategoriesByRevenue() {
        assertThat(get("/metrics/top-categories?by=revenue&window_start=2026-11-25T02:32:00Z")).isEqualTo("{\"window_start\":\"2026-11-25T02:32:00Z\","
                + "\"window_end\":\"2026-11-25T02:34:00Z\",\"by\":\"revenue\"," + W2_EXACT_REVENUE + ",\"categories\":[{\"rank\":1,\"category\":\"electronics\",\"total_revenue\":4999.99},"
                + "{\"rank\":2,\"category\":\"books\",\"total_revenue\":0.30}]}");
    }

    /** Issue 28: numeric(38, 2) columns; a double would answer 1000000000000000000000000 and 123456789012345680. */
    @Test
    void shouldListRevenueBeyondADoublesPrecisionToTheCent() {
        AnalyticsFixture.loadWithHugeRevenue();
        assertThat(get("/metrics/category-revenue?from=" + AnalyticsFixture.W3)).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"electronics\",\"total_revenue\":999999999999999999999999.99," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"books\",\"total_revenue\":123456789012345678.91," + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"home & kitchen\",\"total_revenue\":0.10," + OPEN + "}]");
    }

    @Test
    void shouldRankCategoriesByRevenueBeyondADoublesPrecisionToTheCent() {
        AnalyticsFixture.loadWithHugeRevenue();
        assertThat(get("/metrics/top-categories?by=revenue&n=2")).isEqualTo("{\"window_start\":\"2026-11-25T02:34:00Z\","
                + "\"window_end\":\"2026-11-25T02:36:00Z\",\"by\":\"revenue\"," + OPEN + ",\"categories\":["
                + "{\"rank\":1,\"category\":\"electronics\",\"total_revenue\":999999999999999999999999.99},"
                + "{\"rank\":2,\"category\":\"books\",\"total_revenue\":123456789012345678.91}]}");
    }

    @Test
    void shouldListTheLargestRevenueTheColumnHolds() {
        AnalyticsFixture.execute("UPDATE category_revenue_window SET total_revenue = " + AnalyticsFixture.LARGEST_REVENUE
                + " WHERE window_start = '" + AnalyticsFixture.W2 + "' AND category = 'books'");
        assertThat(get("/metrics/category-revenue?category=books&to=" + AnalyticsFixture.W2)).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"category\":\"books\","
                + "\"total_revenue\":999999999999999999999999999999999999.99," + W2_EXACT_REVENUE + "}]");
    }

    @Test
    void shouldRankNothingBeforeTheFirstBatch() {
        AnalyticsFixture.empty();
        assertThat(get("/metrics/top-products")).isEqualTo("{\"window_start\":null,\"window_end\":null," + OPEN + ",\"products\":[]}");
    }

    @Test
    void shouldRefuseATimeThatIsNotIso8601() {
        badRequest("/metrics/product-views?from=yesterday", "from").body("message", containsString("ISO-8601"));
        badRequest("/metrics/category-activity?to=2026-13-45", "to");
        badRequest("/metrics/top-products?window_start=noon", "window_start");
    }

    @Test
    void shouldRefuseFromAfterTo() {
        badRequest("/metrics/category-revenue?from=2026-11-25T03:00:00Z&to=2026-11-25T02:00:00Z", "from")
                .body("message", containsString("must not be after to"));
    }

    @Test
    void shouldRefuseALimitOutOfRange() {
        badRequest("/metrics/product-views?limit=0", "limit").body("message", containsString("from 1 to 1000"));
        badRequest("/metrics/product-views?limit=1001", "limit");
        badRequest("/metrics/product-views?limit=ten", "limit").body("message", containsString("whole number"));
        badRequest("/metrics/top-products?n=-1", "n");
    }

    @Test
    void shouldRefuseAnUnknownRanking() {
        badRequest("/metrics/top-categories?by=profit", "by").body("message", containsString("'events' or 'revenue'"));
    }

    @Test
    void shouldRefuseAKeyLongerThanTheContractAllows() {
        badRequest("/metrics/product-views?product_id=" + "p".repeat(129), "product_id")
                .body("message", containsString("1 to 128 characters"));
    }

    /** Issue 29: a product id of 128 emoji is valid in the contract (code points), so the job stores it: it can be asked for. */
    @Test
    void shouldAcceptAKeyOf128EmojiAsTheContractCountsThem() {
        given().queryParam("product_id", "\ud83d\ude00".repeat(128)).when().get("/metrics/product-views")
                .then().statusCode(200).body(equalTo("[]"));
    }

    @Test
    void shouldRefuseAKeyOf129Emoji() {
        given().queryParam("product_id", "\ud83d\ude00".repeat(129)).when().get("/metrics/product-views")
                .then().statusCode(400).body("parameter", equalTo("product_id"))
                .body("message", containsString("1 to 128 characters, got 129"));
    }

    /** Issue 18: PostgreSQL refuses NUL in text; such a value was a 500, now a 400 naming it before any query. */
    @Test
    void shouldRefuseTextPostgresCannotStoreNamingTheParameter() {
        given().urlEncodingEnabled(false).when().get("/metrics/product-views?product_id=%00").then().statusCode(400)
                .body("parameter", equalTo("product_id"))
                .body("message", equalTo("product_id must not contain the NUL character (U+0000), found at position 0"));
        given().urlEncodingEnabled(false).when().get("/metrics/category-activity?category=books%00").then().statusCode(400)
                .body("parameter", equalTo("category")).body("message", containsString("NUL"));
        given().urlEncodingEnabled(false).when().get("/metrics/category-revenue?category=%00x").then().statusCode(400)
                .body("parameter", equalTo("category")).body("message", containsString("NUL"));
        // An encoded unpaired surrogate is not UTF-8: the server decodes it as U+FFFD, text PostgreSQL can compare.
        given().urlEncodingEnabled(false).when().get("/metrics/product-views?product_id=%ED%A0%80").then().statusCode(200).body(equalTo("[]"));
    }

    @Test
    void shouldRefuseATimeOutsideTheYears1To9999() {
        given().queryParam("from", "+10000-01-01T00:00:00Z").when().get("/metrics/product-views").then().statusCode(400)
                .body("parameter", equalTo("from"))
                .body("message", equalTo("from must be a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, got +10000-01-01T00:00:00Z"));
        badRequest("/metrics/top-products?window_start=-0001-12-31T23:59:59Z", "window_start");
        given().queryParam("to", "+999999999-12-31T23:59:59.999999999Z").when().get("/metrics/category-revenue").then().statusCode(400)
                .body("parameter", equalTo("to"));
    }

    @Test
    void shouldTakeTheDefaultForABlankCount() {
        assertThat(given().urlEncodingEnabled(false).when().get("/metrics/top-products?n=%20").then().statusCode(200).extract().asString())
                .isEqualTo(get("/metrics/top-products"));
        badRequest("/metrics/top-categories?n=1001", "n").body("message", equalTo("n must be from 1 to 1000, got 1001"));
    }

    @Test
    void shouldIgnoreAnEmptyFilter() {
        String unfiltered = get("/metrics/category-activity");
        String emptyFilter = given().urlEncodingEnabled(false).when().get("/metrics/category-activity?category=")
                .then().statusCode(200).extract().asString();
        assertThat(emptyFilter).isEqualTo(unfiltered).contains("\"event_count\":120");
    }

    @Test
    void shouldAnswerAnUnknownPathWithA404() {
        given().when().get("/metrics/nothing-here").then().statusCode(404);
    }
}

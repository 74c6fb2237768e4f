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
import static org.hamcrest.Matchers.equalTo;

/**
 * Final and open windows, and the audit's verdict on each, over the fixture's rows in the real PostgreSQL: the job's
 * newest batch has the watermark 02:35, so W1 (02:30-02:32) and W2 (02:32-02:34) are final and W3 (02:34-02:36) is open;
 * the audit found W2 exact, W1 off in its two category tables, and has not audited W3.
 */
@QuarkusTest
class FinalWindowsTest {

    static { RealInfrastructure.class.getName(); }

    private static final String OPEN = AnalyticsResourceTest.OPEN;
    private static final String W2_EXACT = AnalyticsResourceTest.W2_EXACT;
    private static final String W2_EXACT_REVENUE = AnalyticsResourceTest.W2_EXACT_REVENUE;

    private static final String W3_PROD_0007 = "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\","
            + "\"product_id\":\"prod_0007\",\"view_count\":42,";
    private static final String W2_PROD_0007 = "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\","
            + "\"product_id\":\"prod_0007\",\"view_count\":30,";

    @BeforeEach
    void knownRows() {
        AnalyticsFixture.load();
    }

    @Test
    void shouldCallAWindowThatEndedBeforeTheWatermarkFinal() {
        assertThat(get("/metrics/product-views?product_id=prod_0007&to=" + AnalyticsFixture.W2))
                .isEqualTo("[" + W2_PROD_0007 + W2_EXACT + "}]");
    }

    @Test
    void shouldCallAWindowThatEndsAfterTheWatermarkOpen() {
        assertThat(get("/metrics/product-views?product_id=prod_0007&from=" + AnalyticsFixture.W3))
                .isEqualTo("[" + W3_PROD_0007 + OPEN + "}]");
    }

    /** Spark drops an event at the watermark as late, and every event of W3 is before its end: nothing can change it. */
    @Test
    void shouldCallAWindowEndingAtTheWatermarkFinal() {
        AnalyticsFixture.execute("UPDATE stream_progress SET watermark = '" + AnalyticsFixture.W3_END
                + "' WHERE query_name = 'shop_analytics' AND batch_id = 2");
        assertThat(get("/metrics/product-views?product_id=prod_0007&from=" + AnalyticsFixture.W3))
                .isEqualTo("[" + W3_PROD_0007 + "\"final\":true,\"audit\":null}]");
    }

    @Test
    void shouldCallNothingFinalBeforeTheJobsFirstBatch() {
        AnalyticsFixture.execute("DELETE FROM stream_progress");
        assertThat(get("/metrics/product-views?product_id=prod_0007")).isEqualTo("["
                + W3_PROD_0007 + OPEN + "},"
                + W2_PROD_0007 + W2_EXACT.replace("\"final\":true", "\"final\":false") + "}]");
    }

    /** The job's first batch runs before any event time was seen: Spark has no watermark yet, and the job records none. */
    @Test
    void shouldCallNothingFinalWhileTheNewestBatchHasNoWatermark() {
        AnalyticsFixture.execute("DELETE FROM stream_progress WHERE query_name = 'shop_analytics' AND batch_id > 0");
        assertThat(get("/metrics/product-views?product_id=prod_0007&to=" + AnalyticsFixture.W2))
                .isEqualTo("[" + W2_PROD_0007 + W2_EXACT.replace("\"final\":true", "\"final\":false") + "}]");
    }

    /** The tables are the job's query's (shop_analytics): another query's progress says nothing about them. */
    @Test
    void shouldIgnoreTheWatermarkOfAnotherQuery() {
        AnalyticsFixture.execute("UPDATE stream_progress SET watermark = '2026-11-25T03:00:00Z' WHERE query_name = 'category_activity'");
        assertThat(get("/metrics/product-views?product_id=prod_0007&from=" + AnalyticsFixture.W3))
                .isEqualTo("[" + W3_PROD_0007 + OPEN + "}]");
    }

    /** The newest batch is the one GET /metrics/pipeline calls the last: an older batch's watermark is not read. */
    @Test
    void shouldReadTheWatermarkOfTheNewestBatch() {
        AnalyticsFixture.execute("UPDATE stream_progress SET watermark = '" + AnalyticsFixture.W3_END
                + "' WHERE query_name = 'shop_analytics' AND batch_id = 1");
        assertThat(get("/metrics/product-views?product_id=prod_0007&from=" + AnalyticsFixture.W3))
                .isEqualTo("[" + W3_PROD_0007 + OPEN + "}]");
    }

    @Test
    void shouldListOnlyTheFinalWindowsWithFinalTrue() {
        assertThat(get("/metrics/category-activity?final=true")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"category\":\"electronics\",\"event_count\":100,"
                + W2_EXACT + "},"
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"category\":\"books\",\"event_count\":3,"
                + W2_EXACT + "}]");
    }

    @Test
    void shouldListOnlyTheOpenWindowsWithFinalFalse() {
        assertThat(get("/metrics/category-revenue?final=false")).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"electronics\",\"total_revenue\":1299.90,"
                + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"books\",\"total_revenue\":35.97,"
                + OPEN + "},"
                + "{\"window_start\":\"2026-11-25T02:34:00Z\",\"window_end\":\"2026-11-25T02:36:00Z\",\"category\":\"home & kitchen\",\"total_revenue\":0.10,"
                + OPEN + "}]");
    }

    /** The limit counts the rows selected: the newest final window's rows, not the open W3's rows filtered afterwards. */
    @Test
    void shouldApplyTheFinalFilterBeforeTheLimit() {
        assertThat(get("/metrics/product-views?final=true&limit=1")).isEqualTo("[" + W2_PROD_0007 + W2_EXACT + "}]");
    }

    @Test
    void shouldFindNoFinalWindowBeforeTheJobsFirstBatch() {
        AnalyticsFixture.execute("DELETE FROM stream_progress");
        assertThat(get("/metrics/product-views?final=true")).isEqualTo("[]");
    }

    @Test
    void shouldCombineTheFinalFilterWithTheOthers() {
        assertThat(get("/metrics/product-views?final=false&product_id=prod_0007&to=" + AnalyticsFixture.W2)).isEqualTo("[]");
    }

    @Test
    void shouldReadFinalInAnyCase() {
        assertThat(get("/metrics/product-views?final=TRUE")).isEqualTo(get("/metrics/product-views?final=true"));
        assertThat(get("/metrics/product-views?final=False")).isEqualTo(get("/metrics/product-views?final=false"));
    }

    /** As an empty product_id or category filters nothing. */
    @Test
    void shouldTreatAnEmptyFinalAsAbsent() {
        String empty = given().urlEncodingEnabled(false).when().get("/metrics/category-activity?final=").then().statusCode(200).extract().asString();
        assertThat(empty).isEqualTo(get("/metrics/category-activity")).contains("\"final\":true", "\"final\":false");
    }

    /** JAX-RS alone would read anything but "true" as false. */
    @Test
    void shouldRefuseAFinalThatIsNotTrueOrFalse() {
        badRequest("/metrics/product-views?final=yes", "final").body("message", equalTo("final must be true or false, got 'yes'"));
        badRequest("/metrics/category-activity?final=1", "final").body("message", equalTo("final must be true or false, got '1'"));
        badRequest("/metrics/category-revenue?final=open", "final").body("message", equalTo("final must be true or false, got 'open'"));
    }

    @Test
    void shouldCarryTheExactVerdictOfAnAuditedWindow() {
        assertThat(get("/metrics/category-revenue?category=electronics&to=" + AnalyticsFixture.W2)).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\",\"category\":\"electronics\",\"total_revenue\":4999.99,"
                + W2_EXACT_REVENUE + "}]");
    }

    @Test
    void shouldCarryTheMismatchOfAnAuditedWindowWithItsUnexplainedDifference() {
        addBooksToW1("2.50");
        assertThat(get("/metrics/category-revenue?to=" + AnalyticsFixture.W1)).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\",\"category\":\"books\",\"total_revenue\":2.50,"
                + "\"final\":true,\"audit\":{\"verdict\":\"mismatch\",\"unexplained\":-4.99,\"mismatched_keys\":1,"
                + "\"audited_at\":\"2026-11-25T02:40:00Z\"}}]");
        assertThat(get("/metrics/category-activity?to=" + AnalyticsFixture.W1)).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\",\"category\":\"books\",\"event_count\":1,"
                + "\"final\":true,\"audit\":{\"verdict\":\"mismatch\",\"unexplained\":-1,\"mismatched_keys\":1,"
                + "\"audited_at\":\"2026-11-25T02:40:00Z\"}}]");
    }

    /** As GET /metrics/audit judges a window: two keys off by +1 and -1 sum to 0, and the window is still off. */
    @Test
    void shouldCallAWindowWhoseKeysAreOffAMismatchEvenWhenTheirDifferencesCancelOut() {
        AnalyticsFixture.execute("UPDATE audit_window SET mismatched_keys = 2, first_mismatch = 'prod_0002 1' WHERE window_start = '"
                + AnalyticsFixture.W2 + "' AND table_name = 'product_view_window'");
        assertThat(get("/metrics/product-views?product_id=prod_0007&to=" + AnalyticsFixture.W2)).isEqualTo("[" + W2_PROD_0007
                + "\"final\":true,\"audit\":{\"verdict\":\"mismatch\",\"unexplained\":0,\"mismatched_keys\":2,"
                + "\"audited_at\":\"2026-11-25T02:45:00Z\"}}]");
    }

    @Test
    void shouldCarryNoVerdictForAWindowNotAuditedYet() {
        AnalyticsFixture.execute("UPDATE stream_progress SET watermark = '2026-11-25T02:37:00Z' WHERE query_name = 'shop_analytics' AND batch_id = 2");
        assertThat(get("/metrics/product-views?product_id=prod_0007&from=" + AnalyticsFixture.W3))
                .isEqualTo("[" + W3_PROD_0007 + "\"final\":true,\"audit\":null}]");
    }

    /** Each ranking says its own table's verdict: W1 is off by -1 event and by -4.99 of revenue. */
    @Test
    void shouldRankWithTheVerdictOfTheRankedTable() {
        addBooksToW1("2.50");
        String w1 = "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\",";
        assertThat(get("/metrics/top-categories?by=events&window_start=" + AnalyticsFixture.W1)).isEqualTo(w1 + "\"by\":\"events\","
                + "\"final\":true,\"audit\":{\"verdict\":\"mismatch\",\"unexplained\":-1,\"mismatched_keys\":1,\"audited_at\":\"2026-11-25T02:40:00Z\"},"
                + "\"categories\":[{\"rank\":1,\"category\":\"books\",\"event_count\":1}]}");
        assertThat(get("/metrics/top-categories?by=revenue&window_start=" + AnalyticsFixture.W1)).isEqualTo(w1 + "\"by\":\"revenue\","
                + "\"final\":true,\"audit\":{\"verdict\":\"mismatch\",\"unexplained\":-4.99,\"mismatched_keys\":1,\"audited_at\":\"2026-11-25T02:40:00Z\"},"
                + "\"categories\":[{\"rank\":1,\"category\":\"books\",\"total_revenue\":2.50}]}");
        assertThat(get("/metrics/top-products?window_start=" + AnalyticsFixture.W1)).isEqualTo(w1 + AnalyticsResourceTest.W1_EXACT
                + ",\"products\":[{\"rank\":1,\"product_id\":\"prod_0001\",\"view_count\":9}]}");
    }

    /** Issue 28's magnitude: numeric(38, 2), where a double would say -1000000000000000000000000. */
    @Test
    void shouldCarryAnUnexplainedRevenueBeyondADoublesPrecisionToTheCent() {
        AnalyticsFixture.loadWithHugeRevenue();
        addBooksToW1("2.50");
        assertThat(get("/metrics/category-revenue?to=" + AnalyticsFixture.W1)).isEqualTo("["
                + "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\",\"category\":\"books\",\"total_revenue\":2.50,"
                + "\"final\":true,\"audit\":{\"verdict\":\"mismatch\",\"unexplained\":-999999999999999999999999.99,\"mismatched_keys\":1,"
                + "\"audited_at\":\"2026-11-25T02:40:00Z\"}}]");
    }

    /**
     * One purchase of books in W1 at {@code price}, in both category tables, as the stream counted it and the batch
     * recompute found it: the audit's sums over W1's keys grow by it on both sides, and what is unexplained stays.
     */
    private static void addBooksToW1(String price) {
        AnalyticsFixture.execute("""
                INSERT INTO category_activity_window (window_start, window_end, category, event_count) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', 1);
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', %2$s);
                UPDATE audit_window SET stream_value = stream_value + 1, batch_value = batch_value + 1
                 WHERE window_start = '%1$s' AND table_name = 'category_activity_window';
                UPDATE audit_window SET stream_value = stream_value + %2$s, batch_value = batch_value + %2$s
                 WHERE window_start = '%1$s' AND table_name = 'category_revenue_window';
                """.formatted(AnalyticsFixture.W1, price));
    }
}

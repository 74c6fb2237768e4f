package dev.shopstream.producer.dashboard;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.HeadlessChromium;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver), against this running
 * service and the known rows in the real PostgreSQL: the charts, tables and audit line show those rows and follow
 * new ones without a reload, the rate control changes the producer's rate and shows the server's refusals, and the
 * empty, stalled and database-down states say so.
 */
@QuarkusTest
class DashboardPageTest {

    static { RealInfrastructure.class.getName(); }

    static final Duration PATIENCE = DashboardPage.PATIENCE;

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    private static ChromeDriver browser;

    @TestHTTPResource("/")
    URL page;

    @BeforeAll
    static void openBrowser() {
        browser = CHROMIUM.browser();
    }

    @AfterEach
    void pauseTheProducer() {
        given().contentType(ContentType.JSON).body("{\"events_per_second\": 0}").when().put("/producer/rate").then().statusCode(200);
    }

    /** Opens the page on the fixture's known rows, once the pipeline panel says it runs. */
    private void openOnTheKnownRows() {
        AnalyticsFixture.load();
        browser.get(page.toString());
        awaitText("pipeline-status", "Running");
    }

    @Test
    void shouldListTheTopProductsOfTheLatestWindow() {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows("top-products-table")).containsExactly(
                "1 prod_0007 42", "2 prod_0001 17", "3 prod_0003 17", "4 prod_0100 1"));
        assertThat(text("top-products-window")).isEqualTo("window 02:34–02:36 · provisional");
    }

    @Test
    void shouldListTheEventsAndRevenueOfEachCategoryOverTheLastWindows() {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows("category-events-table"))
                .containsExactly("electronics 120 220", "books 80 83", "home & kitchen 80 80"));
        assertThat(text("category-events-range")).isEqualTo("2 windows, 02:32–02:36 · 1 provisional");
        assertThat(rows("category-revenue-table")).containsExactly(
                "electronics 1,299.90 6,299.89", "books 35.97 36.27", "home & kitchen 0.10 0.10");
    }

    /** The audit: the oldest window that is off, its first table off, and by how much. */
    @Test
    void shouldNameTheOldestWindowTheAuditFoundOff() {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(text("audit-line"))
                .isEqualTo("audit: window 02:30–02:32 of category_activity_window off by -1"));
    }

    /** The charts themselves (ECharts' SVG): the products on the axis, the counts on the bars; a bar or a line per category. */
    @Test
    void shouldChartTheKnownRows() throws IOException {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(svgTexts("top-products-chart"))
                .contains("prod_0007", "prod_0001", "prod_0003", "prod_0100", "42", "17", "1"));
        assertThat(svgTexts("category-events-chart")).contains("02:32", "02:34");
        assertThat(svgPaths("category-events-chart")).isGreaterThan(6);
        assertThat(svgPaths("category-revenue-chart")).isGreaterThan(3);
        saveScreenshot();
    }

    /** The pipeline panel: per query, the fixture's last batch and its totals. */
    @Test
    void shouldShowEachQuerysLatestBatchAndTotals() {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cell("shop_analytics", "rows_per_second")).isEqualTo("400"));
        assertThat(cell("shop_analytics", "last_batch_duration_ms")).isEqualTo("500 ms");
        assertThat(cell("shop_analytics", "last_batch")).startsWith("#2, ");
        assertThat(cell("shop_analytics", "late_rows_dropped")).isEqualTo("4");
        assertThat(cell("shop_analytics", "rejected_rows")).isEqualTo("3");
        assertThat(cell("shop_analytics", "quarantined_rows")).isEqualTo("3");
        assertThat(cell("category_activity", "quarantined_rows")).isEqualTo("1");
        assertThat(cell("shop_analytics", "offsets_behind_latest")).isEqualTo("1,200");
        assertThat(cell("category_revenue", "offsets_behind_latest")).isEqualTo("–");
        assertThat(cell("category_activity", "rows_per_second")).isEqualTo("300");
        assertThat(cell("category_activity", "last_batch_duration_ms")).isEqualTo("5,000 ms");
        assertThat(cell("category_revenue", "status")).isEqualTo("idle");
    }

    /** The pipeline panel's totals: rejected events, the lag over all queries, the freshness. */
    @Test
    void shouldShowThePipelinesTotals() {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(text("rejected-events")).isEqualTo("3"));
        assertThat(text("offsets-behind")).isEqualTo("1,245");
        assertThat(text("freshness")).matches("\\d+(\\.\\d+)? s ago");
    }

    /** The producer as GET /producer says it: paused at rate 0, and its count of events sent. */
    @Test
    void shouldShowTheProducerAsTheServiceReportsIt() {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(text("producer-rate")).isEqualTo("0"));
        assertThat(browser.findElement(By.id("producer-paused")).isDisplayed()).isTrue();
        long sent = given().when().get("/producer").then().extract().jsonPath().getLong("events_sent");
        assertThat(text("events-sent")).isEqualTo(String.format(java.util.Locale.US, "%,d", sent));
    }

    /** New rows arrive: the page shows them by itself, in the same document (no reload). */
    @Test
    void shouldFollowNewRowsWithoutAReload() {
        openOnTheKnownRows();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows("top-products-table")).startsWith("1 prod_0007 42"));
        browser.executeScript("window.sameDocument = 'yes'");
        AnalyticsFixture.execute("""
                INSERT INTO product_view_window (window_start, window_end, product_id, view_count) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'prod_0555', 99);
                UPDATE category_activity_window SET event_count = 125 WHERE category = 'electronics' AND window_start = '2026-11-25T02:34:00Z';
                DELETE FROM audit_window WHERE window_start = '2026-11-25T02:30:00Z';
                """);
        await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            assertThat(rows("top-products-table")).startsWith("1 prod_0555 99", "2 prod_0007 42");
            assertThat(rows("category-events-table")).startsWith("electronics 125 225");
            assertThat(text("audit-line")).isEqualTo("audited: 1 window exact");
        });
        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(svgTexts("top-products-chart")).contains("prod_0555", "99"));
        assertThat(browser.executeScript("return window.sameDocument")).isEqualTo("yes");
    }

    /**
     * Issue 28: revenue as the API gives it, to the cent, where a double has 15 to 17 significant digits (JSON.parse
     * would show 1,000,000,000,000,000,000,000,000.00 and 123,456,789,012,345,680.00); the totals summed exactly.
     */
    @Test
    void shouldShowRevenueBeyondADoublesPrecisionToTheCent() {
        AnalyticsFixture.loadWithHugeRevenue();
        browser.get(page.toString());
        awaitText("pipeline-status", "Running");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows("category-revenue-table")).containsExactly(
                "electronics 999,999,999,999,999,999,999,999.99 1,000,000,000,000,000,000,004,999.98",
                "books 123,456,789,012,345,678.91 123,456,789,012,345,679.21",
                "home & kitchen 0.10 0.10"));
        assertThat(text("audit-line"))
                .isEqualTo("audit: window 02:30–02:32 of category_revenue_window off by -999,999,999,999,999,999,999,999.99");
        assertThat(svgPaths("category-revenue-chart")).isGreaterThan(3);
        // The chart draws at the Number; its tooltip for the latest window says the exact amount.
        assertThat(tooltip("category-revenue-chart", 1)).contains("electronics999,999,999,999,999,999,999,999.99");
    }

    /** The fixture's W3 ends after the watermark of the job's newest batch: its figures are provisional. */
    @Test
    void shouldDrawOpenWindowsAsProvisional() {
        AnalyticsFixture.load();
        browser.get(page.toString());
        awaitText("pipeline-status", "Running");
        awaitText("top-products-window", "window 02:34–02:36 · provisional");

        // The tables: a marker on the columns of the open window, its figures set apart (Total sums W3 in).
        assertThat(provisionalColumns("top-products-table")).containsExactly("views");
        assertThat(provisionalCells("top-products-table")).isEqualTo(4);
        assertThat(text("category-events-range")).isEqualTo("2 windows, 02:32–02:36 · 1 provisional");
        assertThat(provisionalColumns("category-events-table")).containsExactly("latest", "total");
        assertThat(provisionalCells("category-events-table")).isEqualTo(6);
        assertThat(provisionalColumns("category-revenue-table")).containsExactly("latest", "total");
        // The charts: W3's bars lighter with a dashed outline, W2's solid; each revenue line dashed from W2 into W3.
        assertThat(lighterBars("top-products-chart")).isEqualTo(4);
        assertThat(lighterBars("category-events-chart")).isEqualTo(3);
        assertThat(solidBars("category-events-chart")).isEqualTo(3);
        assertThat(dashedLines("category-revenue-chart")).isEqualTo(3);
        assertThat(tooltip("category-events-chart", 1)).startsWith("02:34 provisional");
    }

    @Test
    void shouldDrawAWindowAsSettledOnceTheWatermarkHasPassedItsEnd() {
        AnalyticsFixture.load();
        browser.get(page.toString());
        awaitText("top-products-window", "window 02:34–02:36 · provisional");

        AnalyticsFixture.execute("UPDATE stream_progress SET watermark = '" + AnalyticsFixture.W3_END
                + "' WHERE query_name = 'shop_analytics' AND batch_id = 2");
        awaitText("top-products-window", "window 02:34–02:36 · final");
        assertThat(text("category-events-range")).isEqualTo("2 windows, 02:32–02:36");
        for (String table : List.of("top-products-table", "category-events-table", "category-revenue-table")) {
            assertThat(provisionalColumns(table)).as(table).isEmpty();
            assertThat(provisionalCells(table)).as(table).isZero();
        }
        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(lighterBars("top-products-chart")).isZero();
            assertThat(lighterBars("category-events-chart")).isZero();
            assertThat(solidBars("category-events-chart")).isEqualTo(6);
            assertThat(dashedLines("category-revenue-chart")).isZero();
        });
        assertThat(tooltip("category-events-chart", 1)).startsWith("02:34 final");
    }

    /** W2 is exact; W1, with rows in it, is off in both category tables: -1 event and -4.99 of revenue. */
    @Test
    void shouldSayTheAuditsVerdictOfAFinalWindow() {
        AnalyticsFixture.load();
        AnalyticsFixture.execute("""
                INSERT INTO category_activity_window (window_start, window_end, category, event_count) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', 1);
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue) VALUES ('%1$s', '2026-11-25T02:32:00Z', 'books', 2.50);
                """.formatted(AnalyticsFixture.W1));
        browser.get(page.toString());
        awaitText("category-events-range", "3 windows, 02:30–02:36 · 1 provisional");

        assertThat(tooltip("category-events-chart", 0)).startsWith("02:30 final, audit off by -1 (1 key)");
        assertThat(tooltip("category-revenue-chart", 0)).startsWith("02:30 final, audit off by -4.99 (1 key)");
        assertThat(tooltip("category-revenue-chart", 1)).startsWith("02:32 final, audited exact")
                .contains("electronics4,999.99", "books0.30");
    }

    /** Issue 28: one line while the quarantine holds rows the database refused, none once it is empty. */
    @Test
    void shouldShowTheQuarantineOnlyWhileItHoldsRows() {
        AnalyticsFixture.load();
        browser.get(page.toString());
        awaitText("pipeline-status", "Running");
        awaitText("quarantine-line", "quarantined: 4 rows the database refused (see the table quarantined_rows)");

        AnalyticsFixture.execute("DELETE FROM quarantined_rows");
        await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("quarantine-line")).isDisplayed()).isFalse());
    }

    @Test
    void shouldChangeTheProducerRateFromThePageAndShowTheServersRefusal() {
        AnalyticsFixture.load();
        browser.get(page.toString());
        awaitText("pipeline-status", "Running");

        setRate("7");
        awaitText("rate-message", "Rate set to 7 events/s.");
        given().when().get("/producer").then().statusCode(200)
                .body("events_per_second", org.hamcrest.Matchers.equalTo(7.0f)).body("paused", org.hamcrest.Matchers.equalTo(false));
        awaitText("producer-rate", "7");
        assertThat(browser.findElement(By.id("producer-paused")).isDisplayed()).isFalse();
        // Sending now, while category_revenue's last batch is 2 hours old: the job is stalled, and the page says which query.
        awaitText("pipeline-status", "Stalled");
        assertThat(text("status-detail")).startsWith("Stalled: the producer is sending, but category_revenue (no batch for ")
                .endsWith("Is the analytics job running?");

        setRate("-5");
        awaitText("rate-message", "events_per_second must be a number from 0 to 200000 (producer.max-rate), got -5.0");
        assertThat(browser.findElement(By.id("rate-message")).getAttribute("class")).contains("error");
        setRate("fast");
        awaitText("rate-message", "events_per_second must be a number, got \"fast\"");
        given().when().get("/producer").then().body("events_per_second", org.hamcrest.Matchers.equalTo(7.0f));

        browser.findElement(By.id("rate-pause")).click();
        awaitText("rate-message", "Paused.");
        given().when().get("/producer").then().body("paused", org.hamcrest.Matchers.equalTo(true));
        awaitText("pipeline-status", "Running");
    }

    @Test
    void shouldSayWhenItIsWaitingForData() {
        AnalyticsFixture.empty();
        browser.get(page.toString());
        awaitText("pipeline-status", "Waiting for data");
        assertThat(text("status-detail")).startsWith("Waiting for data: the analytics job has not reported a batch yet.");
        assertThat(rows("top-products-table")).containsExactly("No data yet");
        assertThat(rows("category-events-table")).containsExactly("No data yet");
        WebElement overlay = browser.findElement(By.cssSelector("#top-products-card .empty"));
        assertThat(overlay.isDisplayed()).isTrue();
        assertThat(overlay.getText()).isEqualTo("Waiting for the first window…");
        assertThat(text("queries-empty")).isEqualTo("No batch reported yet.");
        assertThat(text("audit-line")).isEqualTo("not audited yet");
    }

    @Test
    void shouldSayWhenTheDatabaseIsDownAndRecoverWhenItIsBack() {
        openOnTheKnownRows();
        try {
            AnalyticsFixture.allowConnections(false);
            awaitText("pipeline-status", "Database unavailable");
            assertThat(text("status-detail")).startsWith("Database unavailable: The analytics database is unavailable");
            // The last figures stay, dimmed; the producer's own figures still come (GET /producer needs no database).
            assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).contains("stale");
            assertThat(rows("top-products-table")).startsWith("1 prod_0007 42");
            assertThat(text("producer-rate")).isEqualTo("0");
            // Opened during the outage, with nothing to keep on screen: each panel says why it is empty.
            browser.navigate().refresh();
            awaitText("pipeline-status", "Database unavailable");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                    browser.findElement(By.cssSelector("#top-products-card .empty")).getText())
                    .isEqualTo("No figures: the analytics database is unavailable."));
            assertThat(text("queries-empty")).isEqualTo("No figures: the analytics database is unavailable.");
        } finally {
            AnalyticsFixture.allowConnections(true);
        }
        awaitText("pipeline-status", "Running");
        assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).doesNotContain("stale");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void setRate(String value) {
        new DashboardPage(browser).setRate(value);
    }

    private static String text(String id) {
        return new DashboardPage(browser).text(id);
    }

    private static void awaitText(String id, String expected) {
        new DashboardPage(browser).awaitText(id, expected);
    }

    /**
     * The visible rows of a table's body, each as its cells' text joined by single spaces. Read in one script:
     * the page redraws its tables every 2 s, so an element found in one call may be gone by the next.
     */
    @SuppressWarnings("unchecked")
    private static List<String> rows(String tableId) {
        return (List<String>) browser.executeScript("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()).join(' '))", "#" + tableId + " tbody tr");
    }

    private static String cell(String query, String metric) {
        return (String) browser.executeScript("const td = document.querySelector(arguments[0]); return td ? td.innerText.trim() : null",
                "#queries-table td[data-query='" + query + "'][data-metric='" + metric + "']");
    }

    /** The texts ECharts drew into a chart's SVG, read in one go (the chart redraws every 2 s). */
    @SuppressWarnings("unchecked")
    private static List<String> svgTexts(String chartId) {
        return (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(t => t.textContent)", "#" + chartId + " svg text");
    }

    /** The columns of a table whose header carries the "provisional" marker (their data-column). */
    @SuppressWarnings("unchecked")
    private static List<String> provisionalColumns(String tableId) {
        return (List<String>) browser.executeScript("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".filter(th => th.querySelector('.badge.provisional')?.innerText === 'provisional').map(th => th.dataset.column)",
                "#" + tableId + " thead th");
    }

    private static long provisionalCells(String tableId) {
        return (Long) browser.executeScript("return document.querySelectorAll(arguments[0]).length", "#" + tableId + " tbody td.provisional");
    }

    /** Each shape ECharts drew into a chart's SVG: [fill, fill-opacity, stroke, stroke-dasharray], "" for an attribute not set. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> shapes(String chartId) {
        return (List<List<String>>) browser.executeScript("return Array.from(document.querySelectorAll(arguments[0])).map(p => "
                + "['fill', 'fill-opacity', 'stroke', 'stroke-dasharray'].map(a => p.getAttribute(a) || ''))", "#" + chartId + " svg path");
    }

    /** Bars of an open window: filled, see-through, outlined with dashes. */
    private static long lighterBars(String chartId) {
        return shapes(chartId).stream().filter(s -> !s.get(0).equals("none") && s.get(1).equals("0.4") && !s.get(3).isEmpty()).count();
    }

    /** Bars of a final window: filled, opaque, no outline (the axes and grid are lines: not filled). */
    private static long solidBars(String chartId) {
        return shapes(chartId).stream().filter(s -> !s.get(0).equals("none") && s.get(1).isEmpty() && s.get(2).isEmpty()).count();
    }

    /** Lines drawn with dashes (the grid's and the axes' lines are solid). */
    private static long dashedLines(String chartId) {
        return shapes(chartId).stream().filter(s -> s.get(0).equals("none") && !s.get(3).isEmpty()).count();
    }

    /** The chart's axis tooltip for one window, as its text: the window, how it stands, then each series and its value, unspaced. */
    private static String tooltip(String chartId, int window) {
        AtomicReference<String> text = new AtomicReference<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            // At the first series with a point in that window: a line's solid half has none in an open window, its dashed half
            // none in a final window away from the open ones.
            text.set((String) browser.executeScript("const box = document.getElementById(arguments[0]);"
                    + "const chart = echarts.getInstanceByDom(box);"
                    + "const series = chart.getOption().series.findIndex(s => s.data[arguments[1]] != null && s.data[arguments[1]] !== '-');"
                    + "chart.dispatchAction({type: 'showTip', seriesIndex: series, dataIndex: arguments[1]});"
                    + "const tip = Array.from(box.querySelectorAll('div')).find(d => d.innerHTML.includes('tooltip-value'));"
                    + "return tip ? tip.textContent : null", chartId, window));
            assertThat(text.get()).isNotNull();
        });
        return text.get();
    }

    private static long svgPaths(String chartId) {
        return (Long) browser.executeScript("return document.querySelectorAll(arguments[0]).length", "#" + chartId + " svg path");
    }

    /** A test artifact: what the page looked like with the known rows, the whole page. */
    private static void saveScreenshot() throws IOException {
        Dimension window = browser.manage().window().getSize();
        long chrome = (Long) browser.executeScript("return window.outerHeight - window.innerHeight");
        long page = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) (page + chrome)));
        File shot = browser.getScreenshotAs(OutputType.FILE);
        browser.manage().window().setSize(window);
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}

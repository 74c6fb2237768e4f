package dev.shopstream.client;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopstream.client.api.DashboardApi;
import dev.shopstream.client.api.MetricsApi;
import dev.shopstream.client.api.ProducerApi;
import dev.shopstream.client.model.ApiError;
import dev.shopstream.client.model.AuditMismatch;
import dev.shopstream.client.model.AuditReport;
import dev.shopstream.client.model.AuditSummary;
import dev.shopstream.client.model.AuditVerdict;
import dev.shopstream.client.model.AuditedWindow;
import dev.shopstream.client.model.CategoryActivity;
import dev.shopstream.client.model.CategoryRevenue;
import dev.shopstream.client.model.DashboardSnapshot;
import dev.shopstream.client.model.PipelineHealth;
import dev.shopstream.client.model.ProducerStatus;
import dev.shopstream.client.model.ProductViews;
import dev.shopstream.client.model.QueryHealth;
import dev.shopstream.client.model.RankedCategory;
import dev.shopstream.client.model.RankedProduct;
import dev.shopstream.client.model.RateChange;
import dev.shopstream.client.model.TopCategories;
import dev.shopstream.client.model.TopProducts;
import dev.shopstream.client.model.Window;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A client generated from the service's own OpenAPI document (openapi-generator, Java, native HTTP client with
 * Jackson) reads every endpoint of the packaged service and changes its rate. Its Jackson refuses a property the
 * document does not name, and each test checks the values, so a response that drifted from the document (a name, a
 * type, a missing field) fails the build.
 */
class GeneratedClientIT {

    private static final String TOKEN = "api-client-token-3b9f";
    private static final OffsetDateTime WINDOW_START = OffsetDateTime.parse("2026-11-25T02:34:00Z");
    private static final OffsetDateTime WINDOW_END = OffsetDateTime.parse("2026-11-25T02:36:00Z");
    /** The window before, which the audit found off: a purchase of 10.00 in electronics is missing from the tables. */
    private static final OffsetDateTime EARLIER_START = OffsetDateTime.parse("2026-11-25T02:32:00Z");
    private static final OffsetDateTime AUDITED_AT = OffsetDateTime.parse("2026-11-25T02:40:00Z");
    /** Revenue no double holds (numeric(38, 2) holds up to 36 integer digits): in the earlier window, and late in the later one. */
    private static final BigDecimal HUGE = new BigDecimal("999999999999999999999999.99");
    private static final BigDecimal LARGE = new BigDecimal("123456789012345678.91");
    /** Both windows are final (the job's newest watermark is 02:36) and audited: the later exact in every table. */
    private static final AuditVerdict EXACT = new AuditVerdict().verdict(AuditVerdict.VerdictEnum.EXACT).unexplained(new BigDecimal("0"))
            .mismatchedKeys(0L).auditedAt(AUDITED_AT);
    private static final AuditVerdict EXACT_REVENUE = new AuditVerdict().verdict(AuditVerdict.VerdictEnum.EXACT)
            .unexplained(new BigDecimal("0.00")).mismatchedKeys(0L).auditedAt(AUDITED_AT);
    /** The earlier window's revenue lacks the purchase of 10.00. */
    private static final AuditVerdict REVENUE_OFF = new AuditVerdict().verdict(AuditVerdict.VerdictEnum.MISMATCH)
            .unexplained(new BigDecimal("-10.00")).mismatchedKeys(1L).auditedAt(AUDITED_AT);

    private static KafkaBrokerProcess broker;
    private static ManagedProcess service;
    private static String baseUri;
    private static ObjectMapper strict;
    private static MetricsApi metrics;
    private static ProducerApi producer;
    private static DashboardApi dashboard;

    @BeforeAll
    static void startTheServiceOnKnownRows() throws Exception {
        broker = KafkaBrokerProcess.startOnFreePorts(Files.createTempDirectory("api-client-kafka"), Map.of(EventContract.TOPIC, 3), System.out);
        PostgresDatabase db = PostgresDatabase.forTests("shopstream_api_client").recreateWithSchema();
        db.execute("""
                INSERT INTO product_view_window (window_start, window_end, product_id, view_count, updated_at) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'prod_0007', 42, now()),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'prod_0003', 17, now());
                INSERT INTO category_activity_window (window_start, window_end, category, event_count, updated_at) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'electronics', 120, now());
                INSERT INTO category_revenue_window (window_start, window_end, category, total_revenue, updated_at) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'electronics', 1299.90, now()),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'toys', 999999999999999999999999.99, now()),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'books', 123456789012345678.91, now());
                -- Its watermark is at the later window's end: both windows are final, as the audit of 02:40 found them.
                INSERT INTO stream_progress (query_name, batch_id, batch_time, input_rows, rows_per_second, batch_duration_ms,
                                             late_rows_dropped, rejected_rows, end_offsets, offsets_behind_latest, quarantined_rows, watermark) VALUES
                  ('shop_analytics', 0, now(), 200, 400.0, 500, 1, 0, null, 12, 2, '2026-11-25T02:36:00Z');
                INSERT INTO quarantined_rows (query_name, batch_id, table_name, row_key, window_start, row_values, error_state, error) VALUES
                  ('shop_analytics', 0, 'category_revenue_window', 'garden', '2026-11-25T02:34:00Z', '{}', '22003', 'numeric field overflow'),
                  ('shop_analytics', 0, 'window_totals', 'prod_0001 garden', '2026-11-25T02:34:00Z', '{}', '22003', 'numeric field overflow');
                INSERT INTO audit_window (window_start, window_end, table_name, stream_value, batch_value, late_value, late_events,
                                          unexplained, mismatched_keys, first_mismatch, audited_at) VALUES
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'product_view_window', 59, 60, 1, 1, 0, 0, null, '2026-11-25T02:40:00Z'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'category_activity_window', 120, 121, 1, 1, 0, 0, null, '2026-11-25T02:40:00Z'),
                  ('2026-11-25T02:34:00Z', '2026-11-25T02:36:00Z', 'category_revenue_window', 1299.90, 1299.90 + 123456789012345678.91,
                   123456789012345678.91, 1, 0, 0, null, '2026-11-25T02:40:00Z'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'product_view_window', 0, 0, 0, 0, 0, 0, null, '2026-11-25T02:40:00Z'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'category_activity_window', 0, 1, 0, 0, -1, 1, 'electronics -1', '2026-11-25T02:40:00Z'),
                  ('2026-11-25T02:32:00Z', '2026-11-25T02:34:00Z', 'category_revenue_window', 0, 10.00, 0, 0, -10.00, 1, 'electronics -10.00', '2026-11-25T02:40:00Z');
                """);
        Map<String, String> settings = ProducerServiceProcess.settings(broker.bootstrapServers(), db);
        settings.putAll(Map.of("PRODUCER_RATE", "0", "PRODUCER_SEED", "7", "PRODUCER_CONTROL_TOKEN", TOKEN));
        int port = KafkaBrokerProcess.freePort();
        service = ProducerServiceProcess.startAndAwaitReady(ProjectLayout.locate(), settings, port, List.of("-Xmx256m"), System.out, true);

        baseUri = "http://localhost:" + port;
        strict = ApiClient.createDefaultObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ApiClient client = client();
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + TOKEN));
        metrics = new MetricsApi(client);
        producer = new ProducerApi(client);
        dashboard = new DashboardApi(client);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A client of the running service whose Jackson refuses any property the document does not name. */
    private static ApiClient client() {
        return new ApiClient(HttpClient.newBuilder(), strict, baseUri);
    }

    @Test
    void shouldReadTheViewsPerProduct() throws ApiException {
        assertThat(metrics.listProductViews(null, null, null, null, null)).containsExactly(
                new ProductViews().windowStart(WINDOW_START).windowEnd(WINDOW_END).productId("prod_0007").viewCount(42L)._final(true).audit(EXACT),
                new ProductViews().windowStart(WINDOW_START).windowEnd(WINDOW_END).productId("prod_0003").viewCount(17L)._final(true).audit(EXACT));
    }

    @Test
    void shouldReadTheEventsPerCategory() throws ApiException {
        assertThat(metrics.listCategoryActivity("electronics", null, WINDOW_START, 10, WINDOW_START)).containsExactly(
                new CategoryActivity().windowStart(WINDOW_START).windowEnd(WINDOW_END).category("electronics").eventCount(120L)
                        ._final(true).audit(EXACT));
    }

    @Test
    void shouldReadTheRevenueToTheCent() throws ApiException {
        assertThat(metrics.listCategoryRevenue(null, null, WINDOW_START, null, null)).containsExactly(
                new CategoryRevenue().windowStart(WINDOW_START).windowEnd(WINDOW_END).category("electronics")
                        .totalRevenue(new BigDecimal("1299.90"))._final(true).audit(EXACT_REVENUE));
    }

    /** Issue 28: the client reads an Amount as BigDecimal, every digit kept. */
    @Test
    void shouldReadRevenueBeyondADoublesPrecisionToTheCent() throws ApiException {
        assertThat(metrics.listCategoryRevenue(null, null, null, null, EARLIER_START)).containsExactly(
                new CategoryRevenue().windowStart(EARLIER_START).windowEnd(WINDOW_START).category("toys").totalRevenue(HUGE)
                        ._final(true).audit(REVENUE_OFF),
                new CategoryRevenue().windowStart(EARLIER_START).windowEnd(WINDOW_START).category("books").totalRevenue(LARGE)
                        ._final(true).audit(REVENUE_OFF));
        assertThat(metrics.getTopCategories("revenue", 2, EARLIER_START).getCategories()).containsExactly(
                new RankedCategory().rank(1).category("toys").totalRevenue(HUGE),
                new RankedCategory().rank(2).category("books").totalRevenue(LARGE));
    }

    @Test
    void shouldRankTheProductsOfTheLatestWindow() throws ApiException {
        assertThat(metrics.getTopProducts(1, null)).isEqualTo(new TopProducts().windowStart(WINDOW_START).windowEnd(WINDOW_END)
                ._final(true).audit(EXACT).products(List.of(new RankedProduct().rank(1).productId("prod_0007").viewCount(42L))));
    }

    @Test
    void shouldRankTheCategoriesByRevenue() throws ApiException {
        assertThat(metrics.getTopCategories("revenue", 5, WINDOW_START)).isEqualTo(new TopCategories().windowStart(WINDOW_START)
                .windowEnd(WINDOW_END).by(TopCategories.ByEnum.REVENUE)._final(true).audit(EXACT_REVENUE)
                .categories(List.of(new RankedCategory().rank(1).category("electronics").totalRevenue(new BigDecimal("1299.90")))));
    }

    @Test
    void shouldReadThePipeline() throws ApiException {
        PipelineHealth health = metrics.getPipelineHealth();
        assertThat(health.getStatus()).isEqualTo(PipelineHealth.StatusEnum.RUNNING);
        assertThat(health.getOffsetsBehindLatest()).isEqualTo(12L);
        assertThat(health.getQuarantinedRows()).isEqualTo(2L);
        assertThat(health.getCheckedAt()).isNotNull();
        assertThat(health.getProducer().getSeed()).isEqualTo(7L);
        assertThat(health.getRetention().getKeepWindowRowsSeconds()).isEqualTo(7 * 24 * 3600L);
        assertThat(health.getRetention().getKeepQuarantinedRowsSeconds()).isEqualTo(30 * 24 * 3600L);
        QueryHealth query = health.getQueries().get(0);
        assertThat(query.getQueryName()).isEqualTo("shop_analytics");
        assertThat(query.getStatus()).isEqualTo(QueryHealth.StatusEnum.RUNNING);
        assertThat(query.getTables()).containsExactly(AnalyticsSchema.PRODUCT_VIEW_WINDOW, AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, AnalyticsSchema.CATEGORY_REVENUE_WINDOW);
        assertThat(query.getLastBatchInputRows()).isEqualTo(200L);
        assertThat(query.getLateRowsDropped()).isEqualTo(1L);
        assertThat(query.getOffsetsBehindLatest()).isEqualTo(12L);
        assertThat(query.getQuarantinedRows()).isEqualTo(2L);
    }

    @Test
    void shouldReadTheAuditWithItsFirstMismatch() throws ApiException {
        AuditMismatch mismatch = new AuditMismatch().windowStart(EARLIER_START).windowEnd(WINDOW_START)
                .table(AuditMismatch.TableEnum.CATEGORY_ACTIVITY_WINDOW).unexplained(new BigDecimal("-1")).key("electronics");
        assertThat(metrics.getAudit(null, null, null)).isEqualTo(new AuditReport()
                .summary(new AuditSummary().windowsAudited(2L).allExact(false).firstMismatch(mismatch).lastAuditedAt(AUDITED_AT))
                .windows(List.of(
                        new AuditedWindow().windowStart(WINDOW_START).windowEnd(WINDOW_END).auditedAt(AUDITED_AT).matches(true)
                                .lateEvents(1L).lateViews(1L).lateEventCount(1L).lateRevenue(LARGE)
                                .unexplainedViews(0L).unexplainedEvents(0L).unexplainedRevenue(new BigDecimal("0.00"))
                                .mismatchedKeys(0L).firstMismatch(null),
                        new AuditedWindow().windowStart(EARLIER_START).windowEnd(WINDOW_START).auditedAt(AUDITED_AT).matches(false)
                                .lateEvents(0L).lateViews(0L).lateEventCount(0L).lateRevenue(new BigDecimal("0.00"))
                                .unexplainedViews(0L).unexplainedEvents(-1L).unexplainedRevenue(new BigDecimal("-10.00"))
                                .mismatchedKeys(2L).firstMismatch(mismatch))));
    }

    @Test
    void shouldReadTheAuditOfTheWindowsSelected() throws ApiException {
        AuditReport exact = metrics.getAudit(WINDOW_START, 1, WINDOW_START);
        assertThat(exact.getSummary()).isEqualTo(new AuditSummary().windowsAudited(1L).allExact(true).firstMismatch(null)
                .lastAuditedAt(AUDITED_AT));
        assertThat(exact.getWindows()).extracting(AuditedWindow::getWindowStart).containsExactly(WINDOW_START);
    }

    @Test
    void shouldReadTheDashboardSnapshot() throws ApiException {
        DashboardSnapshot snapshot = dashboard.getDashboardSnapshot(1, 1);
        assertThat(snapshot.getWindows()).isEqualTo(1);
        assertThat(snapshot.getTopProducts().getProducts()).extracting(RankedProduct::getProductId).containsExactly("prod_0007");
        assertThat(snapshot.getCategoryEvents().getWindows()).hasSize(1);
        assertThat(snapshot.getCategoryEvents().getCategories().get(0).getValues()).containsExactly(120L);
        assertThat(snapshot.getCategoryRevenue().getCategories().get(0).getValues()).containsExactly(new BigDecimal("1299.90"));
        assertThat(snapshot.getPipeline().getStatus()).isEqualTo(PipelineHealth.StatusEnum.RUNNING);
        assertThat(snapshot.getAudit().getWindowsAudited()).isEqualTo(2L);
        assertThat(snapshot.getAudit().getFirstMismatch().getWindowStart()).isEqualTo(EARLIER_START);
    }

    @Test
    void shouldReadRevenueBeyondADoublesPrecisionInTheDashboardSnapshot() throws ApiException {
        // The series' model is named by the generator from the document's inline schema: not spelt out here.
        var revenue = dashboard.getDashboardSnapshot(1, 2).getCategoryRevenue().getCategories();
        assertThat(revenue).extracting(series -> series.getCategory()).containsExactly("toys", "books", "electronics");
        assertThat(revenue.get(0).getValues()).containsExactly(HUGE, new BigDecimal("0.00"));
        assertThat(revenue.get(1).getValues()).containsExactly(LARGE, new BigDecimal("0.00"));
    }

    /** Issue 31: final=true selects the final windows; each says the audit's verdict on it in its own table. */
    @Test
    void shouldReadOnlyTheFinalWindowsWithTheAuditsVerdict() throws ApiException {
        assertThat(metrics.listCategoryRevenue(null, true, null, null, null)).containsExactly(
                new CategoryRevenue().windowStart(WINDOW_START).windowEnd(WINDOW_END).category("electronics")
                        .totalRevenue(new BigDecimal("1299.90"))._final(true).audit(EXACT_REVENUE),
                new CategoryRevenue().windowStart(EARLIER_START).windowEnd(WINDOW_START).category("toys").totalRevenue(HUGE)
                        ._final(true).audit(REVENUE_OFF),
                new CategoryRevenue().windowStart(EARLIER_START).windowEnd(WINDOW_START).category("books").totalRevenue(LARGE)
                        ._final(true).audit(REVENUE_OFF));
    }

    @Test
    void shouldReadNoOpenWindowOnceTheWatermarkHasPassedEveryWindow() throws ApiException {
        assertThat(metrics.listProductViews(null, false, null, null, null)).isEmpty();
    }

    /** A window without data: not final, not audited (false and null, as the document says). */
    @Test
    void shouldReadAWindowWithoutDataAsNeitherFinalNorAudited() throws ApiException {
        OffsetDateTime none = OffsetDateTime.parse("2020-01-01T00:00:00Z");
        assertThat(metrics.getTopProducts(1, none)).isEqualTo(new TopProducts().windowStart(none).windowEnd(null)
                ._final(false).audit(null).products(List.of()));
    }

    @Test
    void shouldReadEachSnapshotWindowFinalWithItsTablesVerdict() throws ApiException {
        DashboardSnapshot snapshot = dashboard.getDashboardSnapshot(1, 2); // top 1, windows 2
        assertThat(snapshot.getCategoryRevenue().getWindows()).containsExactly(
                new Window().windowStart(EARLIER_START).windowEnd(WINDOW_START)._final(true).audit(REVENUE_OFF),
                new Window().windowStart(WINDOW_START).windowEnd(WINDOW_END)._final(true).audit(EXACT_REVENUE));
        assertThat(snapshot.getCategoryEvents().getWindows()).containsExactly(
                new Window().windowStart(WINDOW_START).windowEnd(WINDOW_END)._final(true).audit(EXACT));
        assertThat(snapshot.getTopProducts().getFinal()).isTrue();
        assertThat(snapshot.getTopProducts().getAudit()).isEqualTo(EXACT);
    }

    @Test
    void shouldChangeTheRateWithTheControlToken() throws ApiException {
        try {
            ProducerStatus changed = producer.changeProducerRate(new RateChange().eventsPerSecond(0.5));
            assertThat(changed.getEventsPerSecond()).isEqualTo(0.5);
            assertThat(changed.getPaused()).isFalse();
            assertThat(producer.getProducerStatus().getEventsPerSecond()).isEqualTo(0.5);
        } finally {
            assertThat(producer.changeProducerRate(new RateChange().eventsPerSecond(0.0)).getPaused()).isTrue();
        }
    }

    @Test
    void shouldReadARefusedParameterAsTheDocumentedError() throws Exception {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> metrics.listProductViews(null, null, null, 0, null));
        assertThat(refused.getCode()).isEqualTo(400);
        ApiError error = strict.readValue(refused.getResponseBody(), ApiError.class);
        assertThat(error.getStatus()).isEqualTo(400);
        assertThat(error.getParameter()).isEqualTo("limit");
    }

    @Test
    void shouldBeRefusedTheRateWithoutTheToken() throws Exception {
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> new ProducerApi(client()).changeProducerRate(new RateChange().eventsPerSecond(3.0)));
        assertThat(refused.getCode()).isEqualTo(401);
        assertThat(strict.readValue(refused.getResponseBody(), ApiError.class).getError()).isEqualTo("Unauthorized");
    }
}

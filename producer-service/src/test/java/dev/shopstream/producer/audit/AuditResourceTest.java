package dev.shopstream.producer.audit;

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

/**
 * GET /metrics/audit over the fixture's audit_window rows in the real PostgreSQL: exact JSON, filters, bad input. Its
 * 503 while the database is away: DatabaseOutageTest and OpenApiConformanceTest.
 */
@QuarkusTest
class AuditResourceTest {

    static { RealInfrastructure.class.getName(); }

    /** The fixture's W1 is off: the first of its tables that is, in the job's order. */
    private static final String W1_MISMATCH = "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\","
            + "\"table\":\"category_activity_window\",\"unexplained\":-1,\"key\":\"home & kitchen\"}";
    private static final String W1 = "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\","
            + "\"audited_at\":\"2026-11-25T02:40:00Z\",\"matches\":false,\"late_events\":0,\"late_views\":0,\"late_event_count\":0,"
            + "\"late_revenue\":0.00,\"unexplained_views\":0,\"unexplained_events\":-1,\"unexplained_revenue\":-4.99,\"mismatched_keys\":2,"
            + "\"first_mismatch\":" + W1_MISMATCH + "}";
    /** The fixture's W2 is exact, with three late events not folded in. */
    private static final String W2 = "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\","
            + "\"audited_at\":\"2026-11-25T02:45:00Z\",\"matches\":true,\"late_events\":3,\"late_views\":2,\"late_event_count\":3,"
            + "\"late_revenue\":19.98,\"unexplained_views\":0,\"unexplained_events\":0,\"unexplained_revenue\":0.00,\"mismatched_keys\":0,"
            + "\"first_mismatch\":null}";

    @BeforeEach
    void knownRows() {
        AnalyticsFixture.load();
    }

    @Test
    void shouldListTheAuditedWindowsNewestFirstAndNameTheFirstMismatch() {
        assertThat(get("/metrics/audit")).isEqualTo("{\"summary\":{\"windows_audited\":2,\"all_exact\":false,"
                + "\"first_mismatch\":" + W1_MISMATCH + ",\"last_audited_at\":\"2026-11-25T02:45:00Z\"},"
                + "\"windows\":[" + W2 + "," + W1 + "]}");
    }

    @Test
    void shouldSummariseAllExactWhenEveryWindowSelectedMatches() {
        assertThat(get("/metrics/audit?from=" + AnalyticsFixture.W2)).isEqualTo("{\"summary\":{\"windows_audited\":1,\"all_exact\":true,"
                + "\"first_mismatch\":null,\"last_audited_at\":\"2026-11-25T02:45:00Z\"},\"windows\":[" + W2 + "]}");
    }

    @Test
    void shouldFilterOnWindowStartUpToToIncluded() {
        assertThat(get("/metrics/audit?to=" + AnalyticsFixture.W1)).isEqualTo("{\"summary\":{\"windows_audited\":1,\"all_exact\":false,"
                + "\"first_mismatch\":" + W1_MISMATCH + ",\"last_audited_at\":\"2026-11-25T02:40:00Z\"},\"windows\":[" + W1 + "]}");
    }

    @Test
    void shouldSummariseEveryWindowSelectedNotOnlyThoseListed() {
        assertThat(get("/metrics/audit?limit=1")).isEqualTo("{\"summary\":{\"windows_audited\":2,\"all_exact\":false,"
                + "\"first_mismatch\":" + W1_MISMATCH + ",\"last_audited_at\":\"2026-11-25T02:45:00Z\"},\"windows\":[" + W2 + "]}");
    }

    @Test
    void shouldFlagAWindowWhoseKeysAreOffEvenWhenTheirDifferencesCancelOut() {
        AnalyticsFixture.execute("UPDATE audit_window SET mismatched_keys = 2, first_mismatch = 'prod_0002 1' "
                + "WHERE window_start = '" + AnalyticsFixture.W2 + "' AND table_name = 'product_view_window'");
        given().when().get("/metrics/audit?from=" + AnalyticsFixture.W2).then().statusCode(200)
                .body("summary.all_exact", equalTo(false))
                .body("windows[0].matches", equalTo(false))
                .body("windows[0].unexplained_views", equalTo(0))
                .body("windows[0].mismatched_keys", equalTo(2))
                .body("windows[0].first_mismatch.table", equalTo("product_view_window"))
                .body("windows[0].first_mismatch.unexplained", equalTo(0))
                .body("windows[0].first_mismatch.key", equalTo("prod_0002"));
    }

    /** Issue 28: audit_window's values are numeric(38, 2); a double would answer -1000000000000000000000000 and 123456789012345680. */
    @Test
    void shouldCarryAuditedRevenueBeyondADoublesPrecisionToTheCent() {
        AnalyticsFixture.loadWithHugeRevenue();
        String mismatch = "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\","
                + "\"table\":\"category_revenue_window\",\"unexplained\":-999999999999999999999999.99,\"key\":\"home & kitchen\"}";
        assertThat(get("/metrics/audit")).isEqualTo("{\"summary\":{\"windows_audited\":2,\"all_exact\":false,"
                + "\"first_mismatch\":" + mismatch + ",\"last_audited_at\":\"2026-11-25T02:45:00Z\"},\"windows\":["
                + "{\"window_start\":\"2026-11-25T02:32:00Z\",\"window_end\":\"2026-11-25T02:34:00Z\","
                + "\"audited_at\":\"2026-11-25T02:45:00Z\",\"matches\":true,\"late_events\":3,\"late_views\":2,\"late_event_count\":3,"
                + "\"late_revenue\":123456789012345678.91,\"unexplained_views\":0,\"unexplained_events\":0,\"unexplained_revenue\":0.00,"
                + "\"mismatched_keys\":0,\"first_mismatch\":null},"
                + "{\"window_start\":\"2026-11-25T02:30:00Z\",\"window_end\":\"2026-11-25T02:32:00Z\","
                + "\"audited_at\":\"2026-11-25T02:40:00Z\",\"matches\":false,\"late_events\":0,\"late_views\":0,\"late_event_count\":0,"
                + "\"late_revenue\":0.00,\"unexplained_views\":0,\"unexplained_events\":0,\"unexplained_revenue\":-999999999999999999999999.99,"
                + "\"mismatched_keys\":1,\"first_mismatch\":" + mismatch + "}]}");
    }

    @Test
    void shouldSayNothingIsAuditedYet() {
        AnalyticsFixture.empty();
        assertThat(get("/metrics/audit")).isEqualTo("{\"summary\":{\"windows_audited\":0,\"all_exact\":true,"
                + "\"first_mismatch\":null,\"last_audited_at\":null},\"windows\":[]}");
    }

    @Test
    void shouldRefuseATimeThatIsNotIso8601NamingIt() {
        badRequest("/metrics/audit?from=yesterday", "from").body("message", containsString("ISO-8601"));
        badRequest("/metrics/audit?to=2026-13-45", "to");
        given().queryParam("to", "+10000-01-01T00:00:00Z").when().get("/metrics/audit").then().statusCode(400)
                .body("parameter", equalTo("to")).body("message", containsString("from 0001-01-01T00:00:00Z"));
    }

    @Test
    void shouldRefuseFromAfterTo() {
        badRequest("/metrics/audit?from=2026-11-25T03:00:00Z&to=2026-11-25T02:00:00Z", "from")
                .body("message", containsString("must not be after to"));
    }

    @Test
    void shouldRefuseALimitOutOfRange() {
        badRequest("/metrics/audit?limit=0", "limit").body("message", equalTo("limit must be from 1 to 1000, got 0"));
        badRequest("/metrics/audit?limit=1001", "limit");
        badRequest("/metrics/audit?limit=ten", "limit").body("message", equalTo("limit must be a whole number from 1 to 1000, got 'ten'"));
    }
}

package dev.shopstream.producer.pipeline;

import java.util.List;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * GET /metrics/pipeline over the job's known progress rows in the real PostgreSQL (AnalyticsFixture: the batches of
 * shop_analytics, category_activity and category_revenue, their lag, rejects and quarantined rows), with the producer
 * paused (the tests' rate is 0). One behaviour a test.
 */
@QuarkusTest
class PipelineHealthResourceTest {

    static { RealInfrastructure.class.getName(); }

    @BeforeEach
    void knownRows() {
        AnalyticsFixture.load();
    }

    private static ValidatableResponse pipeline() {
        return given().when().get("/metrics/pipeline").then().statusCode(200);
    }

    @Test
    void shouldSayThePipelineRunsWhileItsQueryHasRecentBatches() {
        pipeline().body("status", equalTo("running"))
                .body("queries[2].status", equalTo("running"));
    }

    @Test
    void shouldCallAQueryWithoutRecentBatchesIdleWhileTheProducerIsPaused() {
        pipeline().body("producer.paused", equalTo(true))
                .body("queries[1].status", equalTo("idle"));
    }

    @Test
    void shouldListEveryQueryOfTheJobsProgressByName() {
        pipeline().body("queries.query_name", equalTo(List.of("category_activity", "category_revenue", "shop_analytics")));
    }

    @Test
    void shouldNameTheTablesEachQueryWrites() {
        pipeline().body("queries[2].tables", equalTo(List.of("product_view_window", "category_activity_window", "category_revenue_window")))
                .body("queries[0].tables", equalTo(List.of()));
    }

    @Test
    void shouldDescribeEachQuerysLatestBatch() {
        pipeline().body("queries[2].last_batch_id", equalTo(2))
                .body("queries[2].last_batch_duration_ms", equalTo(500))
                .body("queries[2].last_batch_input_rows", equalTo(200))
                .body("queries[2].rows_per_second", equalTo(400.0f))
                .body("queries[0].last_batch_id", equalTo(1));
    }

    @Test
    void shouldTotalEachQuerysBatches() {
        pipeline().body("queries[2].batches", equalTo(3))
                .body("queries[2].input_rows", equalTo(1700))
                .body("queries[2].late_rows_dropped", equalTo(4))
                .body("queries[2].rejected_rows", equalTo(3))
                .body("queries[0].input_rows", equalTo(1700));
    }

    @Test
    void shouldSumTheLagOverTheQueriesThatReportIt() {
        pipeline().body("queries[2].offsets_behind_latest", equalTo(1200))
                .body("queries[0].offsets_behind_latest", equalTo(45))
                .body("queries[1].offsets_behind_latest", equalTo(null))
                .body("offsets_behind_latest", equalTo(1245));
    }

    @Test
    void shouldCountTheRejectedEvents() {
        pipeline().body("rejected_events", equalTo(3));
    }

    @Test
    void shouldMeasureFreshnessByTheNewestUpdateOfAnyWindowTable() {
        pipeline().body("freshness_seconds", both(greaterThanOrEqualTo(3.0f)).and(lessThan(30.0f)));
    }

    /** Issue 28: in total, the rows the quarantine holds; per query, what its batches quarantined. */
    @Test
    void shouldCountTheQuarantinedRowsInTotalAndPerQuery() {
        pipeline().body("quarantined_rows", equalTo(4))
                .body("queries.query_name", equalTo(List.of("category_activity", "category_revenue", "shop_analytics")))
                .body("queries.quarantined_rows", equalTo(List.of(1, 0, 3)))
                .body("rejected_events", equalTo(3));
    }

    @Test
    void shouldSayItIsWaitingBeforeTheFirstBatch() {
        AnalyticsFixture.empty();
        pipeline().body("status", equalTo("waiting_for_data"))
                .body("queries.size()", equalTo(0))
                .body("rejected_events", equalTo(0))
                .body("quarantined_rows", equalTo(0))
                .body("freshness_seconds", equalTo(null))
                .body("offsets_behind_latest", equalTo(null));
    }
}

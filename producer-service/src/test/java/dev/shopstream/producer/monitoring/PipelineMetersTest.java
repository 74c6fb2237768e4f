package dev.shopstream.producer.monitoring;

import java.util.List;
import java.util.stream.Stream;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The shopstream_pipeline_* meters of /q/metrics, over the fixture's known stream_progress rows in the real PostgreSQL. */
@QuarkusTest
class PipelineMetersTest {

    static { RealInfrastructure.class.getName(); }

    @BeforeEach
    void knownRows() {
        AnalyticsFixture.load();
        // What the dashboard reads: the scrape right after it reuses this read (pipeline.metrics-max-age).
        given().when().get("/metrics/pipeline").then().statusCode(200);
    }

    /** The pipeline's series of one scrape, without the HELP and TYPE comments. */
    static List<String> pipelineSeries() {
        String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return Stream.of(body.split("\n")).filter(line -> line.startsWith("shopstream_pipeline_")).toList();
    }

    @Test
    void shouldExposeEachQuerysFiguresAsLabelledSeriesInPrometheusUnits() {
        assertThat(pipelineSeries()).contains(
                "shopstream_pipeline_offsets_behind_latest{query=\"category_activity\"} 45.0",
                "shopstream_pipeline_offsets_behind_latest{query=\"shop_analytics\"} 1200.0",
                "shopstream_pipeline_last_batch_duration_seconds{query=\"category_activity\"} 5.0",
                "shopstream_pipeline_last_batch_duration_seconds{query=\"shop_analytics\"} 0.5",
                "shopstream_pipeline_batches_total{query=\"shop_analytics\"} 3.0",
                "shopstream_pipeline_input_rows_total{query=\"shop_analytics\"} 1700.0",
                "shopstream_pipeline_late_rows_dropped_total{query=\"shop_analytics\"} 4.0",
                "shopstream_pipeline_late_rows_dropped_total{query=\"category_revenue\"} 4.0",
                "shopstream_pipeline_rejected_rows_total{query=\"category_activity\"} 3.0",
                "shopstream_pipeline_rows_quarantined_total{query=\"shop_analytics\"} 3.0",
                "shopstream_pipeline_rows_quarantined_total{query=\"category_activity\"} 1.0",
                "shopstream_pipeline_rows_quarantined_total{query=\"category_revenue\"} 0.0",
                "shopstream_pipeline_query_status{query=\"category_revenue\",status=\"idle\"} 1.0",
                "shopstream_pipeline_query_status{query=\"category_revenue\",status=\"running\"} 0.0",
                "shopstream_pipeline_query_status{query=\"category_revenue\",status=\"stalled\"} 0.0",
                "shopstream_pipeline_query_status{query=\"shop_analytics\",status=\"running\"} 1.0",
                "shopstream_pipeline_status{status=\"running\"} 1.0",
                "shopstream_pipeline_status{status=\"idle\"} 0.0",
                "shopstream_pipeline_status{status=\"stalled\"} 0.0",
                "shopstream_pipeline_status{status=\"waiting_for_data\"} 0.0");
    }

    /** Issue 28: what the quarantine holds now (retention lowers it), beside each query's counter of what it quarantined. */
    @Test
    void shouldExposeTheRowsTheQuarantineHoldsAsAGauge() {
        assertThat(pipelineSeries()).contains("shopstream_pipeline_quarantined_rows 4.0");
    }

    @Test
    void shouldGiveNoLagSeriesForABatchRecordedWithoutIt() {
        assertThat(pipelineSeries()).noneMatch(line -> line.startsWith("shopstream_pipeline_offsets_behind_latest{query=\"category_revenue\"}"));
    }

    @Test
    void shouldTellTheAgesInSeconds() {
        // The fixture's batches are 10 s (shop_analytics) and 2 h (category_revenue) old, its newest table update 3 s.
        assertThat(value("shopstream_pipeline_last_batch_age_seconds{query=\"shop_analytics\"}")).isBetween(10.0, 40.0);
        assertThat(value("shopstream_pipeline_last_batch_age_seconds{query=\"category_revenue\"}")).isBetween(7200.0, 7230.0);
        assertThat(value("shopstream_pipeline_freshness_seconds")).isBetween(3.0, 33.0);
    }

    @Test
    void shouldDropAQuerysSeriesOnceItIsNoLongerInTheProgressTable() {
        AnalyticsFixture.execute("DELETE FROM stream_progress WHERE query_name = 'category_revenue'");
        given().when().get("/metrics/pipeline").then().statusCode(200);

        assertThat(pipelineSeries()).noneMatch(line -> line.contains("query=\"category_revenue\""))
                .contains("shopstream_pipeline_offsets_behind_latest{query=\"shop_analytics\"} 1200.0");
    }

    @Test
    void shouldSayItIsWaitingBeforeTheFirstBatch() {
        AnalyticsFixture.empty();
        given().when().get("/metrics/pipeline").then().statusCode(200);

        assertThat(pipelineSeries()).contains("shopstream_pipeline_status{status=\"waiting_for_data\"} 1.0",
                        "shopstream_pipeline_status{status=\"running\"} 0.0", "shopstream_pipeline_freshness_seconds NaN",
                        "shopstream_pipeline_quarantined_rows 0.0")
                .noneMatch(line -> line.contains("query=\""));
    }

    private static double value(String series) {
        String line = pipelineSeries().stream().filter(l -> l.startsWith(series + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series));
        return Double.parseDouble(line.substring(series.length() + 1));
    }
}

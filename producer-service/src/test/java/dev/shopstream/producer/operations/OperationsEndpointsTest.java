package dev.shopstream.producer.operations;

import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** What operators rely on: the API description, readiness that covers PostgreSQL and Kafka, Prometheus metrics. */
@QuarkusTest
class OperationsEndpointsTest {

    static { RealInfrastructure.class.getName(); }

    @Test
    void shouldDescribeTheApiInOpenApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/metrics/product-views'.get.summary", containsString("Views per product"))
                .body("paths.'/producer/rate'.put", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/metrics/pipeline'.get", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldServeSwaggerUi() {
        given().when().get("/q/swagger-ui/index.html").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void shouldBeReadyWhenPostgresAndKafkaAnswer() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("PostgreSQL")))
                .body("checks.name", hasItem(containsString("Kafka")));
    }

    @Test
    void shouldExposeProducerCountersAndRequestTimingsToPrometheus() {
        given().when().get("/producer").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("shopstream_producer_events_sent_total"))
                .body(containsString("shopstream_producer_events_failed_total"))
                .body(containsString("shopstream_producer_rate"))
                .body(containsString("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/producer\"}"));
    }
}

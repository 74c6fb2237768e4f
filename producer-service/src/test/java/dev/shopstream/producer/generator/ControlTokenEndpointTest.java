package dev.shopstream.producer.generator;

import dev.shopstream.producer.testing.RealInfrastructure;
import dev.shopstream.producer.testing.WithControlToken;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** With producer.control-token set: PUT /producer/rate needs the bearer token (401 with the JSON error body otherwise); reads stay open. */
@QuarkusTest
@TestProfile(WithControlToken.class)
class ControlTokenEndpointTest {

    static { RealInfrastructure.class.getName(); }

    private static final String TOKEN = WithControlToken.TOKEN;

    @AfterEach
    void pause() {
        put("Bearer " + TOKEN, "{\"events_per_second\": 0}").then().statusCode(200);
    }

    @Test
    void shouldRefuseAChangeWithoutTheToken() {
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Basic " + TOKEN, TOKEN}) {
            put(authorization, "{\"events_per_second\": 3}").then().statusCode(401).contentType("application/json")
                    .header("WWW-Authenticate", "Bearer realm=\"shopstream\"")
                    .body("status", equalTo(401)).body("error", equalTo("Unauthorized"))
                    .body("message", containsString("'Authorization: Bearer <token>'"));
        }
        given().when().get("/producer").then().statusCode(200).body("events_per_second", equalTo(0.0f));
    }

    @Test
    void shouldCheckTheTokenBeforeReadingTheBody() {
        put(null, "not json").then().statusCode(401);
        put("Bearer " + TOKEN, "not json").then().statusCode(400).body("parameter", equalTo("body"));
    }

    @Test
    void shouldChangeTheRateWithTheToken() {
        put("Bearer " + TOKEN, "{\"events_per_second\": 0.5}").then().statusCode(200).body("events_per_second", equalTo(0.5f));
    }

    @Test
    void shouldKeepTheReadsOpen() {
        given().when().get("/producer").then().statusCode(200);
        given().when().get("/metrics/top-products").then().statusCode(200);
        given().when().get("/dashboard/snapshot").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    private static Response put(String authorization, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.when().put("/producer/rate");
    }
}

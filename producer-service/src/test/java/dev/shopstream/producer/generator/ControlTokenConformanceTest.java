package dev.shopstream.producer.generator;

import dev.shopstream.producer.testing.RealInfrastructure;
import dev.shopstream.producer.testing.ServedDocument;
import dev.shopstream.producer.testing.WithControlToken;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** With producer.control-token set, the refusal of PUT /producer/rate without it is the 401 the served document describes. */
@QuarkusTest
@TestProfile(WithControlToken.class)
class ControlTokenConformanceTest {

    static { RealInfrastructure.class.getName(); }

    @Test
    void shouldDescribeTheRefusalWithoutTheToken() {
        Response response = given().contentType(ContentType.JSON).body("{\"events_per_second\": 3}").when().put("/producer/rate");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(ServedDocument.fetch().problems("PUT", "/producer/rate", 401, response.contentType(), response.asString())).isEmpty();
    }
}

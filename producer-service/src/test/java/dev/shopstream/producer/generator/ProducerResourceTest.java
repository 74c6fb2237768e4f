package dev.shopstream.producer.generator;

import java.time.Duration;

import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The generator's control API, against the real broker: the rate, its counters and its bad inputs. */
@QuarkusTest
class ProducerResourceTest {

    static { RealInfrastructure.class.getName(); }

    @AfterEach
    void pause() {
        putRate("{\"events_per_second\": 0}").then().statusCode(200);
    }

    @Test
    void shouldStartPausedWithTheConfiguredRateAndSeed() {
        given().when().get("/producer").then().statusCode(200)
                .body("events_per_second", equalTo(0.0f))
                .body("paused", equalTo(true))
                .body("seed", equalTo(42))
                .body("max_events_per_second", equalTo(200000.0f));
    }

    @Test
    void shouldChangeTheRateAtOnceAndCountWhatKafkaAcknowledged() {
        long before = sent();
        putRate("{\"events_per_second\": 200}").then().statusCode(200)
                .body("events_per_second", equalTo(200.0f))
                .body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(15)).until(() -> sent() >= before + 100);

        putRate("{\"events_per_second\": 0}").then().statusCode(200).body("paused", equalTo(true));
        long settled = awaitSettled();
        assertThat(sent()).isEqualTo(settled);
        given().when().get("/producer").then().body("events_failed", equalTo(0)).body("events_dropped", equalTo(0));
    }

    @Test
    void shouldDeliverTheConfiguredRateWithinFivePercent() throws InterruptedException {
        long before = sent();
        putRate("{\"events_per_second\": 1000}").then().statusCode(200);
        // Steady state first: the Kafka producer's first sends wait for its connection and producer id.
        await().atMost(Duration.ofSeconds(30)).until(() -> sent() >= before + 2_000);
        Sample start = sample();
        Thread.sleep(10_000);
        Sample end = sample();
        double seconds = (end.atNanos() - start.atNanos()) / 1e9;
        assertThat((end.sent() - start.sent()) / seconds).isBetween(950.0, 1050.0);
    }

    /** The counter and when it was read: the middle of a round trip short enough to pin the moment down. */
    record Sample(long sent, long atNanos) {
    }

    static Sample sample() {
        while (true) {
            long sentAt = System.nanoTime();
            long count = sent();
            long answeredAt = System.nanoTime();
            if (answeredAt - sentAt < 100_000_000L) { // a slow answer (a busy machine) says little about when it was read
                return new Sample(count, sentAt + (answeredAt - sentAt) / 2);
            }
        }
    }

    @Test
    void shouldAcceptAFractionalRate() {
        putRate("{\"events_per_second\": 0.5}").then().statusCode(200).body("events_per_second", equalTo(0.5f));
    }

    @Test
    void shouldRefuseANegativeRate() {
        putRate("{\"events_per_second\": -5}").then().statusCode(400)
                .body("parameter", equalTo("events_per_second"))
                .body("message", containsString("from 0 to 200000"));
    }

    @Test
    void shouldRefuseANonNumericRate() {
        putRate("{\"events_per_second\": \"fast\"}").then().statusCode(400)
                .body("parameter", equalTo("events_per_second"))
                .body("message", containsString("must be a number"));
    }

    @Test
    void shouldRefuseAnAbsurdRate() {
        putRate("{\"events_per_second\": 1e12}").then().statusCode(400)
                .body("parameter", equalTo("events_per_second"))
                .body("message", containsString("producer.max-rate"));
    }

    @Test
    void shouldRefuseABodyThatIsNotJson() {
        putRate("fast please").then().statusCode(400)
                .body("status", equalTo(400))
                .body("parameter", equalTo("body"));
    }

    /** Found by ApiFuzzProperties (shrunk): a duplicate field was a 500 from Jackson's record creator. */
    @Test
    void shouldRefuseARateGivenTwice() {
        putRate("{\"events_per_second\":0,\"events_per_second\":-1}").then().statusCode(400)
                .body("status", equalTo(400))
                .body("parameter", equalTo("body"))
                .body("message", containsString("Duplicate field 'events_per_second'"));
    }

    /** Found by ApiFuzzProperties (shrunk): bytes that read as an unsupported UTF-32 were a 500 from Jackson's decoder. */
    @Test
    void shouldRefuseABodyInAnEncodingJsonCannotBeWithTheErrorBody() {
        given().contentType(ContentType.JSON).body(new byte[] {0, 0, 1, 0}).when().put("/producer/rate")
                .then().statusCode(400).contentType("application/json")
                .body("status", equalTo(400))
                .body("parameter", equalTo("body"))
                .body("message", containsString("not valid JSON"));
    }

    /** Found by ApiFuzzProperties (shrunk): well-formed JSON of the wrong shape got a 400 without the JSON error body. */
    @Test
    void shouldRefuseABodyThatIsNotAnObjectWithTheErrorBody() {
        for (String body : new String[] {"[]", "0", "\"fast\"", "null"}) {
            putRate(body).then().statusCode(400).contentType("application/json")
                    .body("status", equalTo(400)).body("parameter", equalTo("body"));
        }
    }

    @Test
    void shouldRefuseABodyWithoutTheRate() {
        putRate("{\"rate\": 10}").then().statusCode(400)
                .body("parameter", equalTo("events_per_second"))
                .body("message", containsString("Missing field events_per_second"));
    }

    @Test
    void shouldKeepTheRateUnchangedAfterARefusal() {
        putRate("{\"events_per_second\": 3}").then().statusCode(200);
        putRate("{\"events_per_second\": -1}").then().statusCode(400);
        given().when().get("/producer").then().body("events_per_second", equalTo(3.0f));
    }

    static io.restassured.response.Response putRate(String body) {
        return given().contentType(ContentType.JSON).body(body).when().put("/producer/rate");
    }

    static long sent() {
        return given().when().get("/producer").then().extract().jsonPath().getLong("events_sent");
    }

    /** Waits until nothing is in flight any more and returns the final count. */
    static long awaitSettled() {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = sent();
            boolean stable = now == last[0];
            last[0] = now;
            return stable;
        });
        return last[0];
    }
}

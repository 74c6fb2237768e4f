package dev.shopstream.producer.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import dev.shopstream.contract.EventContract;
import dev.shopstream.producer.testing.RealInfrastructure;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ProjectLayout;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * The events' broker is down when the service starts: the generator neither blocks nor crashes, it reports
 * what it could not deliver, the API keeps answering, and once a broker answers on that address the events
 * flow again without a restart.
 *
 * <p>Only against the packaged application: in the in-JVM test mode, a second application start (this test's
 * profile) leaves SmallRye's context propagation without its manager, and a failed send then ends the channel;
 * the packaged service, like production, recovers.
 */
@QuarkusIntegrationTest
@TestProfile(BrokerOutageIT.BrokerNotYetThere.class)
class BrokerOutageIT {

    static { RealInfrastructure.class.getName(); }

    /** The user-events channel points at a port where no broker listens yet. */
    public static class BrokerNotYetThere implements QuarkusTestProfile {
        static final int PORT = KafkaBrokerProcess.freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.user-events.bootstrap.servers", "localhost:" + PORT,
                    "mp.messaging.outgoing.user-events.max.block.ms", "1000",
                    "mp.messaging.outgoing.user-events.delivery.timeout.ms", "3000",
                    "mp.messaging.outgoing.user-events.request.timeout.ms", "2000");
        }
    }

    @Test
    void shouldReportUndeliveredEventsAndRecoverWhenTheBrokerComesBack() throws IOException {
        given().contentType(ContentType.JSON).body("{\"events_per_second\": 200}").when().put("/producer/rate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/producer").then().statusCode(200)
                .body("events_sent", equalTo(0))
                .body("events_failed", greaterThan(0))
                .body("last_error", containsString("Timeout")));
        given().when().get("/metrics/top-products").then().statusCode(200);

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(ProjectLayout.locate(), BrokerNotYetThere.PORT, KafkaBrokerProcess.freePort(),
                Files.createTempDirectory("late-broker"), Map.of(EventContract.TOPIC, 1), System.out, true)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().when().get("/producer").then().body("events_sent", greaterThan(100)));
        } finally {
            given().contentType(ContentType.JSON).body("{\"events_per_second\": 0}").when().put("/producer/rate");
        }
    }
}

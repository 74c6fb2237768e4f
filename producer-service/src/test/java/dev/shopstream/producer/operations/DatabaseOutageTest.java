package dev.shopstream.producer.operations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import dev.shopstream.producer.testing.AnalyticsFixture;
import dev.shopstream.producer.testing.PostgresTestResource;
import dev.shopstream.producer.testing.RealInfrastructure;
import dev.shopstream.testsupport.PostgresDatabase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A real outage of the real database: PostgreSQL stops accepting connections to the service's database and
 * drops the open ones. The API answers 503 quickly (never hangs, never a stack trace), readiness goes down,
 * and everything recovers by itself once the database is back.
 */
@QuarkusTest
class DatabaseOutageTest {

    static { RealInfrastructure.class.getName(); }

    @Test
    void shouldAnswer503WhileTheDatabaseIsDownAndRecoverAfterwards() throws SQLException {
        AnalyticsFixture.load();
        given().when().get("/metrics/product-views?limit=1").then().statusCode(200);
        try {
            setConnectionsAllowed(false);
            long started = System.nanoTime();
            given().when().get("/metrics/product-views").then().statusCode(503)
                    .body("status", equalTo(503))
                    .body("message", containsString("The analytics database is unavailable"));
            given().when().get("/metrics/pipeline").then().statusCode(503);
            given().when().get("/metrics/top-products").then().statusCode(503);
            given().when().get("/metrics/audit").then().statusCode(503);
            org.assertj.core.api.Assertions.assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            given().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().when().get("/producer").then().statusCode(200);
        } finally {
            setConnectionsAllowed(true);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/metrics/product-views?limit=1").then().statusCode(200).body("[0].view_count", equalTo(42)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200));
    }

    private static void setConnectionsAllowed(boolean allowed) throws SQLException {
        PostgresDatabase db = PostgresTestResource.DATABASE;
        PostgresDatabase maintenance = new PostgresDatabase(db.host(), db.port(), "postgres", db.user(), db.password());
        try (Connection connection = maintenance.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + db.database() + " ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.database()
                        + "' AND pid <> pg_backend_pid()");
            }
        }
    }
}

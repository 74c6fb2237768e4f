package dev.shopstream.producer.testing;

import java.util.Map;

import dev.shopstream.testsupport.PostgresDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The tests' PostgreSQL (localhost:5432, else an embedded one), with a database of their own migrated by sql/. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final PostgresDatabase DATABASE = PostgresDatabase.forTests("shopstream_service_test");

    @Override
    public Map<String, String> start() {
        registerDriver();
        DATABASE.recreateWithSchema();
        return Map.of("quarkus.datasource.reactive.url", DATABASE.reactiveUrl(),
                "quarkus.datasource.username", DATABASE.user(),
                "quarkus.datasource.password", DATABASE.password());
    }

    /**
     * A test profile (ControlTokenEndpointTest) restarts the application, and this resource, in a class loader of its
     * own, where DriverManager sees no PostgreSQL driver until its class is loaded there.
     */
    private static void registerDriver() {
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The PostgreSQL JDBC driver is a test dependency of this module", e);
        }
    }

    @Override
    public void stop() {
        // Kept for inspection after a failed run; the next run recreates it.
    }
}

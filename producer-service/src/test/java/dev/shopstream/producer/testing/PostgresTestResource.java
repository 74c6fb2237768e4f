package dev.shopstream.producer.testing;

import java.util.Map;

import dev.shopstream.stack.PostgresDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The tests' PostgreSQL (localhost:5432, else an embedded one), with a database of their own migrated by sql/. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final PostgresDatabase DATABASE = PostgresDatabase.forTests("shopstream_service_test");

    @Override
    public Map<String, String> start() {
        DATABASE.recreateWithSchema();
        return Map.of("quarkus.datasource.reactive.url", DATABASE.reactiveUrl(),
                "quarkus.datasource.username", DATABASE.user(),
                "quarkus.datasource.password", DATABASE.password());
    }

    @Override
    public void stop() {
        // Kept for inspection after a failed run; the next run recreates it.
    }
}

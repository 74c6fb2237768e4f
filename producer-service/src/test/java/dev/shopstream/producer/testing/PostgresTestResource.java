package dev.shopstream.producer.testing;

import java.util.Map;

import dev.shopstream.stack.PostgresDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The real PostgreSQL on localhost:5432, with a database of the tests' own created from sql/create_tables.sql. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final PostgresDatabase DATABASE = PostgresDatabase.forTests("shopstream_service_test");

    @Override
    public Map<String, String> start() {
        DATABASE.recreateWithSchema();
        // TODO remove once migration V2 (issue 11) lands: it adds this column to stream_progress for real.
        DATABASE.execute("ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS offsets_behind_latest bigint");
        return Map.of("quarkus.datasource.reactive.url", DATABASE.reactiveUrl(),
                "quarkus.datasource.username", DATABASE.user(),
                "quarkus.datasource.password", DATABASE.password());
    }

    @Override
    public void stop() {
        // Kept for inspection after a failed run; the next run recreates it.
    }
}

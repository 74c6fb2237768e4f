package dev.shopstream.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import dev.shopstream.contract.AnalyticsSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL as the local stack runs it (also as root, as on the development machine): its data
 * survives a restart, and the fallback picks it only where nothing listens.
 */
class EmbeddedPostgresServerIT {

    @Test
    void shouldKeepItsDataAcrossRestartsAndBeChosenOnlyWhereNothingListens() throws Exception {
        Path dataDir = Files.createTempDirectory("stack-embedded-it").resolve("postgres");
        int port = freePort();

        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.startPersistent(dataDir, port)) {
            assertThat(first.port()).isEqualTo(port);
            PostgresDatabase db = PostgresServer.embedded(first).database("analytics");
            db.createIfMissing();
            assertThat(db.applySchema()).isEqualTo(SchemaMigrationsIT.LATEST);
            db.execute("INSERT INTO " + AnalyticsSchema.REJECTED_EVENTS + " (source_topic, source_partition, source_offset, raw_payload, reason)"
                    + " VALUES ('user_events', 2, 99, '{}', 'missing_field:event_id')");

            // Something listens on the port: the fallback takes that server and starts nothing.
            PostgresServer chosen = PostgresServer.listeningOrEmbedded("localhost", port, "postgres", "postgres", () -> {
                throw new AssertionError("must not start a second server");
            });
            assertThat(chosen.embedded()).isEmpty();
            assertThat(chosen.port()).isEqualTo(port);
        }

        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.startPersistent(dataDir, port)) {
            PostgresDatabase db = PostgresServer.embedded(second).database("analytics");
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT source_offset, reason FROM " + AnalyticsSchema.REJECTED_EVENTS)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1) + " " + rows.getString(2)).isEqualTo("99 missing_field:event_id");
                assertThat(rows.next()).isFalse();
            }
        }
        assertThat(PostgresServer.listening("localhost", port)).isFalse();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.shopstream.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.support.SqlRows;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.RejectedPayload;
import dev.shopstream.testsupport.PostgresDatabase;

/** The writer the job's read tasks store rejected records with, against the real PostgreSQL. */
class RejectedRecordWriterIT {

    private static final String ROWS = "SELECT source_topic, source_partition, source_offset, raw_payload, payload_bytes, payload_sha256, reason "
            + "FROM " + AnalyticsSchema.REJECTED_EVENTS + " ORDER BY source_offset";

    private PostgresDatabase db;
    private JdbcTarget target;

    @BeforeEach
    void freshDatabase() {
        db = PostgresDatabase.forTests("analytics_rejects_it").recreateWithSchema();
        target = new JdbcTarget(db.jdbcUrl(), db.user(), db.password());
    }

    @Test
    void shouldKeepTheFirstBytesTheLengthAndTheDigestOfARecordLargerThanTheCap() throws Exception {
        byte[] value = ("{\"event_id\":\"" + "x".repeat(1_048_000) + "\"}").getBytes(StandardCharsets.UTF_8);

        write(reject(7, value, 4096));

        assertThat(SqlRows.of(db, ROWS)).containsExactly("user_events|0|7|" + new String(value, 0, 4096, StandardCharsets.UTF_8)
                + "|" + value.length + "|" + sha256(value) + "|too_long_event_id");
    }

    @Test
    void shouldStoreARecordOnceWhenItsBatchIsReplayed() throws Exception {
        RejectedRecord first = reject(3, "{oops".getBytes(StandardCharsets.UTF_8), 4096);

        write(first);
        List<String> once = SqlRows.of(db, ROWS + ", seen_at");
        write(first);

        assertThat(SqlRows.of(db, ROWS + ", seen_at")).hasSize(1).isEqualTo(once);
    }

    @Test
    void shouldWriteEveryRecordOfABurstLargerThanAChunk() throws Exception {
        RejectedRecordWriter writer = new RejectedRecordWriter(target);
        for (int offset = 0; offset < RejectedRecordWriter.CHUNK * 3 + 7; offset++) {
            writer.add(reject(offset, "{oops".getBytes(StandardCharsets.UTF_8), 4096));
        }
        writer.flush();

        assertThat(SqlRows.of(db, "SELECT count(*), min(source_offset), max(source_offset) FROM " + AnalyticsSchema.REJECTED_EVENTS))
                .containsExactly((RejectedRecordWriter.CHUNK * 3 + 7) + "|0|" + (RejectedRecordWriter.CHUNK * 3 + 6));
    }

    @Test
    void shouldKeepPositionLengthAndDigestOfARecordWhoseTextTheDatabaseRefuses() throws Exception {
        db.execute("ALTER TABLE " + AnalyticsSchema.REJECTED_EVENTS + " ADD CONSTRAINT no_poison CHECK (raw_payload NOT LIKE '%poison%')");
        byte[] poison = "{poison".getBytes(StandardCharsets.UTF_8);
        RejectedRecordWriter writer = new RejectedRecordWriter(target);
        writer.add(reject(1, "{fine".getBytes(StandardCharsets.UTF_8), 4096));
        writer.add(reject(2, poison, 4096));
        writer.flush();

        assertThat(SqlRows.of(db, ROWS)).containsExactly(
                "user_events|0|1|{fine|5|" + sha256("{fine".getBytes(StandardCharsets.UTF_8)) + "|too_long_event_id",
                "user_events|0|2|null|" + poison.length + "|" + sha256(poison) + "|too_long_event_id");
    }

    @Test
    void shouldStoreANulAsAReplacementCharacter() throws Exception {
        write(reject(5, "not json\u0000with a NUL".getBytes(StandardCharsets.UTF_8), 4096));

        assertThat(SqlRows.of(db, "SELECT raw_payload FROM " + AnalyticsSchema.REJECTED_EVENTS)).containsExactly("not json\uFFFDwith a NUL");
    }

    private void write(RejectedRecord record) {
        RejectedRecordWriter.write(target, record); // outside a Spark task: at once
    }

    private static RejectedRecord reject(long offset, byte[] value, int cap) {
        return new RejectedRecord(EventContract.TOPIC, 0, offset, RejectedPayload.of(value, cap), "too_long_event_id");
    }

    private static String sha256(byte[] value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    }
}

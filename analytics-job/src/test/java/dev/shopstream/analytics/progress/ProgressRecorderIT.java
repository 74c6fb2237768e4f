package dev.shopstream.analytics.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.support.SqlRows;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * The progress listener against the real PostgreSQL: it adds Spark's figures to the row the batch's own
 * transaction wrote, reads back the rejected count that transaction counted, and never writes a row of its own.
 */
class ProgressRecorderIT {

    private static final String QUERY = "shop_analytics";
    private static final String FIGURES = "SELECT batch_id, input_rows, rows_per_second, batch_duration_ms, late_rows_dropped, "
            + "offsets_behind_latest, rejected_rows FROM " + AnalyticsSchema.STREAM_PROGRESS + " ORDER BY batch_id";

    private PostgresDatabase db;
    private ProgressRecorder recorder;

    @BeforeEach
    void freshDatabase() {
        db = PostgresDatabase.forTests("analytics_progress_it").recreateWithSchema();
        recorder = new ProgressRecorder(new JdbcTarget(db.jdbcUrl(), db.user(), db.password()), Set.of(QUERY));
        // As the batch's transaction writes it: offsets and the rejected count, none of Spark's figures yet.
        db.execute("INSERT INTO " + AnalyticsSchema.STREAM_PROGRESS + " (query_name, batch_id, batch_time, rejected_rows) VALUES ('" + QUERY + "', 5, now(), 2)");
    }

    @AfterEach
    void closeRecorder() {
        recorder.close();
    }

    @Test
    void shouldAddSparksFiguresToTheRowTheBatchsTransactionWroteAndReturnItsRejectedCount() {
        Long rejected = recorder.record(progress(5));

        assertThat(rejected).isEqualTo(2L);
        assertThat(dump(FIGURES)).containsExactly("5|1000|250|4000|3|12|2");
    }

    @Test
    void shouldWriteNoRowForABatchWhoseTransactionWroteNone() {
        Long rejected = recorder.record(progress(6));

        assertThat(rejected).isNull();
        assertThat(dump(FIGURES)).containsExactly("5|null|null|null|null|null|2");
    }

    @Test
    void shouldTryOnceMoreOnANewConnectionWhenItsConnectionWasLost() {
        recorder.record(progress(4));
        // The server ends the recorder's connection (as a restart of PostgreSQL does).
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = 'shopstream-analytics-job'");

        Long rejected = recorder.record(progress(5));

        assertThat(rejected).isEqualTo(2L);
        assertThat(dump(FIGURES)).containsExactly("5|1000|250|4000|3|12|2");
    }

    @Test
    void shouldGiveUpWithoutAnErrorWhenTheDatabaseIsUnreachableTwice() {
        ProgressRecorder unreachable = new ProgressRecorder(new JdbcTarget("jdbc:postgresql://127.0.0.1:1/analytics", db.user(),
                db.password()), Set.of(QUERY));

        assertThat(unreachable.record(progress(5))).isNull();
        assertThat(dump(FIGURES)).containsExactly("5|null|null|null|null|null|2");
    }

    private static BatchProgress progress(long batchId) {
        return new BatchProgress(QUERY, batchId, 1_000, 250.0, 4_000, 3, "{}", null, 12L, "addBatch 3900");
    }

    private List<String> dump(String sql) {
        return SqlRows.of(db, sql);
    }
}

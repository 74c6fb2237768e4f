package dev.shopstream.analytics.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.AnalyticsTables.Snapshot;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.MemoryStreamJob;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * The three tables agree with each other at every commit: a reader polling the database while the stream
 * runs, each read one REPEATABLE READ transaction, always finds each table equal to the plain-Java reference
 * over exactly the records up to the end offset of the newest batch in stream_progress, never a table ahead
 * of another or of the progress row.
 */
class TableConsistencyTest {

    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;

    @TempDir
    Path tmp;

    @Test
    void shouldShowEveryTableEqualToTheReferenceAtTheCommittedOffsetsWheneverItIsRead() throws Exception {
        PostgresDatabase db = PostgresDatabase.forTests("analytics_consistency").recreateWithSchema();
        AnalyticsTables tables = new AnalyticsTables(db);
        ShopEventStream stream = new ShopEventStream(20261201L, Instant.parse("2026-11-25T10:00:00Z"));
        List<String> mismatches = new CopyOnWriteArrayList<>();
        Set<Long> batchesSeen = new TreeSet<>();
        AtomicBoolean streaming = new AtomicBoolean(true);

        try (MemoryStreamJob job = new MemoryStreamJob(db, tmp.resolve("checkpoints"), "100 milliseconds")) {
            Thread reader = new Thread(() -> {
                while (streaming.get()) {
                    Snapshot snapshot = tables.consistentSnapshot(AnalyticsSchema.QUERY_NAME);
                    if (snapshot.endOffsets() == null) {
                        continue;
                    }
                    long offset = Long.parseLong(snapshot.endOffsets().trim());
                    batchesSeen.add(offset);
                    ExpectedAnalytics expected = ExpectedAnalytics.of(job.sentUpTo(offset), MemoryStreamJob.TOPIC, WINDOW);
                    if (!snapshot.productViews().equals(expected.productViews)
                            || !snapshot.categoryActivity().equals(expected.categoryActivity)
                            || !snapshot.categoryRevenue().equals(expected.categoryRevenue)) {
                        mismatches.add("at source offset " + offset);
                    }
                }
            }, "consistent-reader");
            reader.start();
            // Ten rounds of one to three chunks each: batches of one or several chunks, while the reader reads.
            for (int round = 0; round < 10; round++) {
                for (int chunk = 0; chunk <= round % 3; chunk++) {
                    job.send(stream.onTime(300, Duration.ofSeconds(20), 0.03, 0.02));
                }
                job.processAllAvailable();
            }
            streaming.set(false);
            reader.join();

            ExpectedAnalytics all = ExpectedAnalytics.of(job.sent(), MemoryStreamJob.TOPIC, WINDOW);
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(all.productViews);
        }
        assertThat(mismatches).as("reads where a table disagreed with the committed offsets").isEmpty();
        assertThat(batchesSeen).as("distinct committed batches the reader saw").hasSizeGreaterThanOrEqualTo(5);
    }
}

package dev.shopstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.AnalyticsTables.ProgressTotals;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * The job as its own JVM, started the way the local stack starts it (target/classes + job.classpath, the
 * spark-jvm.options argfile, settings in environment variables), killed with SIGKILL while it is writing batches, and restarted on the same
 * checkpoints after more traffic came in: the tables must be exactly what plain Java computes, nothing lost,
 * nothing counted twice, including re-deliveries that straddle the crash.
 */
class JobRestartIT {

    private static final String TOPIC = EventContract.TOPIC;
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final List<String> AGGREGATIONS = List.of(AnalyticsSchema.QUERY_NAME);

    @Test
    void shouldLoseNothingAndCountNothingTwiceWhenKilledMidStreamAndRestarted(@TempDir Path tmp) throws Exception {
        PostgresDatabase db = PostgresDatabase.forTests("analytics_restart_it").recreateWithSchema();
        AnalyticsTables tables = new AnalyticsTables(db);
        ShopEventStream stream = new ShopEventStream(4242L, START);
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(TOPIC, 3), System.out);
             EventProducer producer = new EventProducer(broker.bootstrapServers(), TOPIC)) {
            Map<String, String> settings = jobSettings(broker.bootstrapServers(), db, tmp);

            ManagedProcess first = startJob(settings, tmp);
            Map<String, Map<Long, Instant>> batchesBeforeKill;
            try {
                producer.send(stream.onTime(12_000, Duration.ofMinutes(6), 0.03, 0.02));
                // Every window query has committed two batches with data; more are running: kill now.
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> everyAggregationCommittedBatchesWithData(tables, 2));
                first.killHard();
                batchesBeforeKill = tables.batchTimes();
            } finally {
                first.killHard();
            }
            Map<String, ProgressTotals> atKill = tables.progress();
            assertThat(AGGREGATIONS).as("some query was still behind when killed")
                    .anyMatch(query -> atKill.get(query).inputRows() < producer.sent().size());

            // Traffic goes on while the job is down; its re-deliveries repeat events from before the crash.
            producer.send(stream.onTime(8_000, Duration.ofMinutes(4), 0.03, 0.02));

            ManagedProcess second = startJob(settings, tmp);
            try {
                Map<Integer, Long> topicEnd = producer.endOffsets();
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                        tables.progress().size() == 1
                                && tables.progress().values().stream().allMatch(p -> p.lastEndOffsets().equals(topicEnd)));
            } finally {
                second.stop(Duration.ofSeconds(30));
            }

            ExpectedAnalytics expected = ExpectedAnalytics.of(producer.sent(), TOPIC, WINDOW);
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
            assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
            assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
            assertThat(tables.rejected()).containsExactlyInAnyOrderElementsOf(expected.rejected);
            assertResumedFromCheckpoints(batchesBeforeKill, tables.batchTimes());
        }
    }

    /** The second run continued the batch numbering: the first run's batches were not redone from scratch. */
    private static void assertResumedFromCheckpoints(Map<String, Map<Long, Instant>> before, Map<String, Map<Long, Instant>> after) {
        for (String query : AGGREGATIONS) {
            Map<Long, Instant> beforeKill = before.get(query);
            Map<Long, Instant> afterRestart = after.get(query);
            assertThat(afterRestart).as("%s batches of the first run", query).containsAllEntriesOf(beforeKill);
            long lastBeforeKill = beforeKill.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(afterRestart.keySet()).as("%s batches of the second run", query).anyMatch(id -> id > lastBeforeKill);
        }
    }

    private static boolean everyAggregationCommittedBatchesWithData(AnalyticsTables tables, int batches) {
        Map<String, ProgressTotals> progress = tables.progress();
        return AGGREGATIONS.stream().allMatch(query -> progress.containsKey(query) && progress.get(query).batches() >= batches + 1);
    }

    /** Started as the local stack starts it (AnalyticsJobProcess): settings in environment variables. */
    private static ManagedProcess startJob(Map<String, String> settings, Path tmp) throws Exception {
        Path workDir = Files.createDirectories(tmp.resolve("job-tmp"));
        return AnalyticsJobProcess.startAndAwaitReady(ProjectLayout.locate(), settings,
                List.of("-Xmx1g", "-Dspark.ui.enabled=false"), workDir, System.out, false);
    }

    private static Map<String, String> jobSettings(String bootstrapServers, PostgresDatabase db, Path tmp) {
        Map<String, String> settings = AnalyticsJobProcess.settings(bootstrapServers, db, tmp.resolve("checkpoints"));
        settings.putAll(Map.of(
                "SPARK_MASTER", "local[2]",
                "SHUFFLE_PARTITIONS", "2",
                "TRIGGER_INTERVAL", "500ms",
                // Several batches before the kill and after the restart.
                "MAX_OFFSETS_PER_TRIGGER", "1500"));
        return settings;
    }
}

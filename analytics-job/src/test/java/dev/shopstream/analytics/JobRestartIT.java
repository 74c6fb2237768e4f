package dev.shopstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.AnalyticsTables.ProgressTotals;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.stack.KafkaBrokerProcess;
import dev.shopstream.stack.ManagedProcess;
import dev.shopstream.stack.PostgresDatabase;
import dev.shopstream.stack.ProjectLayout;

/**
 * The job as its own JVM, started the way the local stack starts it (target/classes + job.classpath, the
 * spark-jvm.options argfile), killed with SIGKILL while it is writing batches, and restarted on the same
 * checkpoints after more traffic came in: the tables must be exactly what plain Java computes, nothing lost,
 * nothing counted twice, including re-deliveries that straddle the crash.
 */
class JobRestartIT {

    private static final String TOPIC = "user_events";
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(2);
    private static final List<String> AGGREGATIONS = List.of("product_views", "category_activity", "category_revenue");

    @Test
    void shouldLoseNothingAndCountNothingTwiceWhenKilledMidStreamAndRestarted(@TempDir Path tmp) throws Exception {
        PostgresDatabase db = PostgresDatabase.forTests("analytics_restart_it").recreateWithSchema();
        AnalyticsTables tables = new AnalyticsTables(db);
        ShopEventStream stream = new ShopEventStream(4242L, START);
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(TOPIC, 3), System.out);
             EventProducer producer = new EventProducer(broker.bootstrapServers(), TOPIC)) {
            List<String> command = jobCommand(broker.bootstrapServers(), db, tmp);

            ManagedProcess first = startJob(command, tmp);
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

            ManagedProcess second = startJob(command, tmp);
            try {
                Map<Integer, Long> topicEnd = producer.endOffsets();
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                        tables.progress().size() == 4
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

    private static ManagedProcess startJob(List<String> command, Path tmp) {
        ManagedProcess job = ManagedProcess.startJava("job", command, Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
                ProjectLayout.locate().root(), System.out, false);
        try {
            job.awaitLine(line -> line.contains(AnalyticsJob.READY_LINE), Duration.ofMinutes(3));
            return job;
        } catch (RuntimeException e) {
            job.killHard();
            throw e;
        }
    }

    private static List<String> jobCommand(String bootstrapServers, PostgresDatabase db, Path tmp) throws Exception {
        ProjectLayout layout = ProjectLayout.locate();
        Path jobTmp = Files.createDirectories(tmp.resolve("job-tmp"));
        List<String> command = new ArrayList<>(List.of(
                "-Xmx1g", "@" + layout.jobJvmOptions(), "-Djava.io.tmpdir=" + jobTmp, "-Dspark.ui.enabled=false",
                "-cp", ProjectLayout.classpath(layout.jobClasses(), layout.jobClasspathFile()),
                AnalyticsJob.class.getName()));
        command.addAll(List.of(
                "--kafka-bootstrap-servers=" + bootstrapServers,
                "--postgres-url=" + db.jdbcUrl(),
                "--postgres-user=" + db.user(),
                "--postgres-password=" + db.password(),
                "--checkpoint-dir=" + tmp.resolve("checkpoints"),
                "--spark-master=local[2]",
                "--shuffle-partitions=2",
                "--trigger-interval=500ms",
                "--max-offsets-per-trigger=1500"));
        return command;
    }
}

package dev.shopstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.AnalyticsTables.ProgressTotals;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.SentMessage;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.analytics.support.SparkTestSession;
import dev.shopstream.analytics.support.TestMessage;
import dev.shopstream.analytics.support.Watermarks;
import dev.shopstream.analytics.support.WindowKey;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * The whole job, in this JVM, against a real Kafka broker and the real PostgreSQL: about 30,000 seeded
 * messages over 14 minutes of event time (seven 2-minute windows), with malformed messages, re-deliveries,
 * out-of-order events and very late events. Every table must equal, row for row and to the cent, what plain
 * Java computes from the same messages.
 *
 * <p>Lateness is made deterministic: the very late events are sent only after the job has processed the first
 * part of the stream and every query's watermark is known to be past them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsJobIT {

    private static final String TOPIC = EventContract.TOPIC;
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final String QUERY = AnalyticsSchema.QUERY_NAME;

    @TempDir
    static Path tmp;

    private KafkaBrokerProcess broker;
    private PostgresDatabase db;
    private RunningJob job;
    private EventProducer producer;
    private AnalyticsTables tables;
    private ExpectedAnalytics afterFirstPart;
    private Map<WindowKey, Long> activityAfterFirstPart;
    private ExpectedAnalytics expected;

    @BeforeAll
    void runSeededStreamThroughTheJob() {
        broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(TOPIC, 3), System.out);
        db = PostgresDatabase.forTests("analytics_job_it").recreateWithSchema();
        tables = new AnalyticsTables(db);
        SparkTestSession.configureSparkProperties();
        job = AnalyticsJob.start(JobSettings.fromArgs(new String[] {
            "--kafka-bootstrap-servers=" + broker.bootstrapServers(),
            "--postgres-url=" + db.jdbcUrl(),
            "--postgres-user=" + db.user(),
            "--postgres-password=" + db.password(),
            "--checkpoint-dir=" + tmp.resolve("checkpoints"),
            "--spark-master=local[2]",
            "--shuffle-partitions=2",
            "--trigger-interval=500ms",
            // Several batches per part of the stream: windows are updated batch after batch, and the
            // watermark is established before the late events come.
            "--max-offsets-per-trigger=3000",
        }, Map.of()));
        producer = new EventProducer(broker.bootstrapServers(), TOPIC);
        ShopEventStream stream = new ShopEventStream(20261125L, START);

        // Part 1: 9 minutes of traffic.
        producer.send(stream.onTime(18_000, Duration.ofMinutes(9), 0.03, 0.02));
        job.processAllAvailable();
        afterFirstPart = ExpectedAnalytics.of(producer.sent(), TOPIC, WINDOW);
        activityAfterFirstPart = tables.categoryActivity();
        Watermarks.awaitPast(job.query(QUERY), START.plus(Duration.ofMinutes(6)));

        // Part 2: 5 more minutes, with events an hour late and re-deliveries of the first minutes mixed in.
        List<TestMessage> late = new ArrayList<>(stream.veryLate(150));
        late.addAll(stream.lateRedeliveries(100, START.plus(Duration.ofMinutes(4))));
        producer.send(stream.interleave(stream.onTime(10_000, Duration.ofMinutes(5), 0.03, 0.02), late));
        job.processAllAvailable();

        expected = ExpectedAnalytics.of(producer.sent(), TOPIC, WINDOW);
        // Progress rows are written by a listener after each batch commits: give the last ones a moment.
        await().atMost(Duration.ofSeconds(30)).until(() -> tables.progress().values().stream()
                .allMatch(p -> p.inputRows() == expected.messages) && tables.progress().size() == 1);
    }

    @AfterAll
    void stopEverything() {
        if (job != null) {
            job.stop();
            job.spark().stop();
        }
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldCountProductViewsExactlyAsThePlainJavaReference() {
        assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
    }

    @Test
    void shouldCountCategoryActivityExactlyAsThePlainJavaReference() {
        assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
    }

    @Test
    void shouldSumCategoryRevenueToTheCentAsThePlainJavaReference() {
        assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
        assertThat(tables.categoryRevenue().values()).allSatisfy(revenue -> assertThat(revenue.scale()).isEqualTo(2));
    }

    @Test
    void shouldShowRunningTotalsOfWindowsThatAreStillOpen() {
        // After part 1, the last windows were still open (the watermark was a minute behind): update mode
        // must have written their totals so far, equal to the reference over part 1 alone.
        assertThat(activityAfterFirstPart).containsExactlyInAnyOrderEntriesOf(afterFirstPart.categoryActivity);
        assertThat(afterFirstPart.categoryActivity.keySet())
                .anySatisfy(window -> assertThat(window.windowEnd()).isAfter(START.plus(Duration.ofMinutes(9))));
    }

    @Test
    void shouldStoreEveryBadMessageOnceWithItsKafkaPositionAndReason() {
        assertThat(tables.rejected()).containsExactlyInAnyOrderElementsOf(expected.rejected);
    }

    @Test
    void shouldRecordProgressOfEveryBatchWithExactRejectedAndLateTotals() {
        Map<String, ProgressTotals> progress = tables.progress();

        assertThat(progress).containsOnlyKeys(QUERY);
        progress.forEach((query, totals) -> {
            assertThat(totals.inputRows()).as("%s input rows", query).isEqualTo(expected.messages);
            assertThat(totals.rejectedRows()).as("%s rejected rows", query).isEqualTo(expected.rejectedCount());
            assertThat(totals.lateRows()).as("%s late rows", query).isEqualTo(expected.lateRows);
            assertThat(totals.lastEndOffsets()).as("%s end offsets", query).isEqualTo(producer.endOffsets());
            assertThat(totals.batches()).as("%s batches", query).isGreaterThan(10);
        });
    }

    @Test
    void shouldHaveBeenFedDuplicatesOutOfOrderLateAndMalformedMessages() {
        long outOfOrder = 0;
        Instant newest = START.minus(Duration.ofDays(1));
        for (SentMessage sent : producer.sent()) {
            if (sent.message().kind() == TestMessage.Kind.ON_TIME) {
                Instant time = sent.message().event().eventTime();
                if (time.isBefore(newest.minusSeconds(5))) {
                    outOfOrder++;
                }
                newest = time.isAfter(newest) ? time : newest;
            }
        }

        assertThat(expected.messages).isBetween(28_000L, 32_000L);
        assertThat(expected.onTimeDeliveries - expected.distinctOnTimeEvents).as("re-deliveries").isGreaterThan(500);
        assertThat(outOfOrder).as("events more than 5 s older than one sent before them").isGreaterThan(5_000);
        assertThat(expected.lateRows).as("late messages").isEqualTo(250);
        assertThat(expected.rejectedCount()).as("malformed messages").isGreaterThan(400);
        // 14 minutes from START, and the first events up to 20 s before it: 8 two-minute windows.
        assertThat(expected.categoryActivity.keySet().stream().map(WindowKey::windowStart).distinct().count())
                .as("windows").isEqualTo(8);
    }
}

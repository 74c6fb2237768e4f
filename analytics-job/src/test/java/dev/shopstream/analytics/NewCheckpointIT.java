package dev.shopstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.RejectedRow;
import dev.shopstream.analytics.support.SentMessage;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.analytics.support.TestMessage;
import dev.shopstream.analytics.support.WindowKey;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * What docs/operations.md, "A new checkpoint", says, held to the real job: a first run on traffic (some of it
 * dropped as late), Kafka then deletes the oldest records (as retention does), and the job starts again on the
 * same tables with a new, empty CHECKPOINT_DIR. It reads from the earliest offset Kafka still holds, in one batch,
 * with no watermark yet, and overwrites every row it computes. So:
 * <ul>
 *     <li>a window whose every record Kafka still holds ends up exactly the oracle's over those records, the
 *     events the first run dropped as late now counted;</li>
 *     <li>a window whose records are all deleted keeps the first run's rows;</li>
 *     <li>a window whose records are partly deleted is wrong: each key with records left counts only those,
 *     the other keys keep the first run's values;</li>
 *     <li>rejected_events keeps its rows; stream_progress's batch ids start at 0 again, the new rows replacing
 *     the old ones of the same ids, the old run's later rows left as they were.</li>
 * </ul>
 */
class NewCheckpointIT {

    private static final String TOPIC = EventContract.TOPIC;
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final String QUERY = AnalyticsSchema.QUERY_NAME;
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    /** Kafka deletes every record sent before the first event of the clock past this: inside the window 12:02-12:04. */
    private static final Instant CUT = Instant.parse("2026-11-25T12:02:40Z");
    private static final int LATE_EVENTS = 40;

    @Test
    void shouldRecomputeTheWindowsKafkaHoldsWholeAndLeaveOrBreakTheOthers(@TempDir Path tmp) throws Exception {
        PostgresDatabase db = PostgresDatabase.forTests("analytics_new_checkpoint_it").recreateWithSchema();
        AnalyticsTables tables = new AnalyticsTables(db);
        ShopEventStream stream = new ShopEventStream(3131L, START);
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), Map.of(TOPIC, 3), System.out);
             EventProducer producer = new EventProducer(broker.bootstrapServers(), TOPIC)) {
            Map<String, String> settings = AnalyticsJobProcess.settings(broker.bootstrapServers(), db, tmp.resolve("checkpoints-1"));
            settings.putAll(Map.of("SPARK_MASTER", "local[2]", "TRIGGER_INTERVAL", "500ms", "AUDIT_INTERVAL", "0 seconds"));

            // The first run: several batches, then events an hour old that its watermark drops as late.
            List<SentMessage> traffic = producer.send(stream.onTime(4_000, Duration.ofMinutes(7), 0.03, 0.02));
            Map<String, String> firstSettings = new HashMap<>(settings);
            firstSettings.put("MAX_OFFSETS_PER_TRIGGER", "1000");
            ManagedProcess first = startJob(firstSettings, tmp);
            try {
                awaitCaughtUp(tables, producer, 0);
                producer.send(stream.veryLate(LATE_EVENTS));
                awaitCaughtUp(tables, producer, LATE_EVENTS);
            } finally {
                first.stop(Duration.ofSeconds(30));
            }
            ExpectedAnalytics firstExpected = ExpectedAnalytics.of(producer.sent(), TOPIC, WINDOW);
            Tables before = Tables.read(tables);
            assertThat(before.views).containsExactlyInAnyOrderEntriesOf(firstExpected.productViews);
            assertThat(before.activity).containsExactlyInAnyOrderEntriesOf(firstExpected.categoryActivity);
            assertThat(before.revenue).containsExactlyInAnyOrderEntriesOf(firstExpected.categoryRevenue);
            Set<RejectedRow> rejectedBefore = tables.rejected();
            Map<Long, Instant> batchesBefore = tables.batchTimes().get(QUERY);

            // Retention: Kafka deletes the oldest records of each partition.
            Map<Integer, Long> cut = cutOffsets(traffic);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
                cut.forEach((partition, offset) -> delete.put(new TopicPartition(TOPIC, partition), RecordsToDelete.beforeOffset(offset)));
                admin.deleteRecords(delete).all().get();
            }
            List<SentMessage> held = producer.sent().stream().filter(m -> m.offset() >= cut.get(m.partition())).toList();
            List<SentMessage> deleted = producer.sent().stream().filter(m -> m.offset() < cut.get(m.partition())).toList();

            // The second run: the same tables, a new and empty checkpoint directory, the default batch cap.
            Instant secondStart = Instant.now();
            settings.put("CHECKPOINT_DIR", tmp.resolve("checkpoints-2").toString());
            ManagedProcess second = startJob(settings, tmp);
            Map<Integer, Long> topicEnd = producer.endOffsets();
            long[] batchReadingAll = new long[1];
            try {
                // Its first batch reads every record Kafka holds: the cap (MAX_OFFSETS_PER_TRIGGER) is above them.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> (batchReadingAll[0] = batchReaching(db, topicEnd, secondStart)) >= 0);
            } finally {
                second.stop(Duration.ofSeconds(30));
            }
            assertThat(batchReadingAll[0]).as("the new run's batch that read up to the end").isZero();
            Tables after = Tables.read(tables);

            Set<Instant> deletedWindows = windowsOf(deleted);
            Set<Instant> heldWindows = windowsOf(held);
            Set<Instant> whole = new TreeSet<>(heldWindows);
            whole.removeAll(deletedWindows);
            Set<Instant> gone = new TreeSet<>(deletedWindows);
            gone.removeAll(heldWindows);
            Set<Instant> partial = new TreeSet<>(heldWindows);
            partial.retainAll(deletedWindows);
            assertThat(gone).as("windows whose records Kafka deleted").contains(START);
            assertThat(partial).as("windows Kafka holds in part").containsExactly(Instant.parse("2026-11-25T12:02:00Z"));
            Set<Instant> lateWindows = windowsOf(held.stream().filter(m -> m.message().kind() == TestMessage.Kind.LATE).toList());
            assertThat(whole).as("windows Kafka holds whole").containsAll(lateWindows).contains(Instant.parse("2026-11-25T12:04:00Z"));

            // Every record Kafka holds, judged by the oracle with none late: the new run starts without a watermark.
            Tables held1 = Tables.oracle(held, m -> true);
            // 1. The windows Kafka holds whole are right, the late events of the first run counted now.
            assertThat(after.in(whole)).isEqualTo(held1.in(whole));
            assertThat(held1.in(lateWindows).activity.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(LATE_EVENTS);
            assertThat(before.in(lateWindows).activity).isEmpty();
            // 2. The windows whose records are all deleted keep the first run's rows.
            assertThat(after.in(gone)).isEqualTo(before.in(gone));
            assertThat(gone).allSatisfy(window -> assertThat(before.in(Set.of(window)).activity).isNotEmpty());
            // 3. The window held in part: the keys with records left count only those, the others keep their values.
            Tables expectedPartial = partialWindow(traffic, held, partial);
            assertThat(after.in(partial)).isEqualTo(expectedPartial);
            long activityBefore = before.in(partial).activity.values().stream().mapToLong(Long::longValue).sum();
            long activityAfter = after.in(partial).activity.values().stream().mapToLong(Long::longValue).sum();
            assertThat(activityAfter).as("events counted in the window held in part").isLessThan(activityBefore);
            // Nothing else: no window besides these.
            assertThat(after.views.keySet()).allSatisfy(key -> assertThat(Set.of(whole, gone, partial))
                    .anyMatch(windows -> windows.contains(key.windowStart())));

            // rejected_events: every row kept, none twice (its key is the record's position).
            assertThat(tables.rejected()).isEqualTo(rejectedBefore);
            // stream_progress: batch ids from 0 again; same ids replaced, the first run's later batches left.
            Map<Long, Instant> batchesAfter = tables.batchTimes().get(QUERY);
            long lastOfSecond = batchesAfter.entrySet().stream().filter(b -> b.getValue().isAfter(secondStart))
                    .mapToLong(Map.Entry::getKey).max().orElseThrow();
            assertThat(batchesAfter.entrySet()).allSatisfy(batch -> {
                if (batch.getKey() <= lastOfSecond) {
                    assertThat(batch.getValue()).as("batch %d", batch.getKey()).isAfter(secondStart);
                } else {
                    assertThat(batch.getValue()).as("batch %d", batch.getKey()).isEqualTo(batchesBefore.get(batch.getKey()));
                }
            });
            assertThat(batchesBefore.keySet()).as("the first run's batches").anyMatch(id -> id > lastOfSecond);
        }
    }

    /**
     * What the sink leaves in a window Kafka holds in part. The new run writes window_totals rows (window, product,
     * category) for the products with records left, and recomputes each table's (window, key) from all the
     * window_totals rows of that key, the first run's rows of the other products included; a key whose sum of views
     * (product_view_window) or of purchases (category_revenue_window) is 0 is not written, its old row stays. The test
     * stream gives each product one category.
     */
    private static Tables partialWindow(List<SentMessage> firstRun, List<SentMessage> held, Set<Instant> windows) {
        Predicate<SentMessage> onTime = m -> m.message().kind() != TestMessage.Kind.LATE;
        Map<String, Tables> oldByProduct = byProduct(firstRun, onTime);
        Map<String, Tables> newByProduct = byProduct(held, m -> true);
        Tables before = Tables.oracle(firstRun, onTime).in(windows);
        Tables expected = new Tables(new TreeMap<>(before.views), new TreeMap<>(), new TreeMap<>(before.revenue));
        Map<WindowKey, Long> activity = new TreeMap<>();
        Map<WindowKey, BigDecimal> revenue = new TreeMap<>();
        Map<WindowKey, Boolean> touched = new TreeMap<>();
        Set<String> products = new TreeSet<>(oldByProduct.keySet());
        products.addAll(newByProduct.keySet());
        for (String product : products) {
            Tables old = oldByProduct.getOrDefault(product, Tables.empty()).in(windows);
            Tables now = newByProduct.getOrDefault(product, Tables.empty()).in(windows);
            now.views.forEach(expected.views::put);
            // The product's window_totals rows after the new run: the new one where it wrote one, else the old one.
            Set<WindowKey> categories = new TreeSet<>(old.activity.keySet());
            categories.addAll(now.activity.keySet());
            for (WindowKey category : categories) {
                boolean written = now.activity.containsKey(category);
                Tables source = written ? now : old;
                touched.merge(category, written, Boolean::logicalOr);
                activity.merge(category, source.activity.getOrDefault(category, 0L), Long::sum);
                revenue.merge(category, source.revenue.getOrDefault(category, BigDecimal.ZERO), BigDecimal::add);
            }
        }
        expected.activity.putAll(activity);
        touched.forEach((category, written) -> {
            // Prices are positive: a revenue above 0 is a purchase.
            if (written && revenue.get(category).signum() > 0) {
                expected.revenue.put(category, revenue.get(category));
            }
        });
        return expected;
    }

    private static Map<String, Tables> byProduct(List<SentMessage> messages, Predicate<SentMessage> counted) {
        Map<String, List<SentMessage>> byProduct = new TreeMap<>();
        messages.stream().filter(m -> m.message().event() != null && counted.test(m))
                .forEach(m -> byProduct.computeIfAbsent(m.message().event().productId(), p -> new ArrayList<>()).add(m));
        Map<String, Tables> tables = new TreeMap<>();
        byProduct.forEach((product, its) -> tables.put(product, Tables.oracle(its, m -> true)));
        return tables;
    }

    /** Per partition: the offset of the first message sent once the stream's clock passed {@link #CUT}. */
    private static Map<Integer, Long> cutOffsets(List<SentMessage> traffic) {
        int first = 0;
        while (traffic.get(first).message().event() == null || traffic.get(first).message().event().eventTime().isBefore(CUT)) {
            first++;
        }
        Map<Integer, Long> cut = new TreeMap<>();
        for (SentMessage message : traffic.subList(first, traffic.size())) {
            cut.putIfAbsent(message.partition(), message.offset());
        }
        assertThat(cut).as("a cut in each partition").hasSize(3);
        return cut;
    }

    private static Set<Instant> windowsOf(List<SentMessage> messages) {
        Set<Instant> windows = new TreeSet<>();
        messages.stream().filter(m -> m.message().event() != null).forEach(m -> windows.add(Instant.ofEpochMilli(
                Math.floorDiv(m.message().event().eventTime().toEpochMilli(), WINDOW.toMillis()) * WINDOW.toMillis())));
        return windows;
    }

    /** The id of the batch committed after {@code since} whose end offsets are {@code end}; -1 while none is. */
    private static long batchReaching(PostgresDatabase db, Map<Integer, Long> end, Instant since) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT batch_id, end_offsets FROM " + AnalyticsSchema.STREAM_PROGRESS + " WHERE query_name = ? AND batch_time > ?")) {
            statement.setString(1, QUERY);
            statement.setObject(2, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (AnalyticsTables.offsets(rows.getString(2)).equals(end)) {
                        return rows.getLong(1);
                    }
                }
            }
        }
        return -1;
    }

    /** The first run committed every record sent, and its listener recorded the late ones. */
    private static void awaitCaughtUp(AnalyticsTables tables, EventProducer producer, long lateRows) {
        Map<Integer, Long> topicEnd = producer.endOffsets();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            AnalyticsTables.ProgressTotals progress = tables.progress().get(QUERY);
            return progress != null && progress.lastEndOffsets().equals(topicEnd) && progress.lateRows() == lateRows;
        });
    }

    private static ManagedProcess startJob(Map<String, String> settings, Path tmp) throws Exception {
        Path workDir = Files.createDirectories(tmp.resolve("job-tmp"));
        return AnalyticsJobProcess.startAndAwaitReady(ProjectLayout.locate(), settings,
                List.of("-Xmx1g", "-Dspark.ui.enabled=false"), workDir, System.out, false);
    }

    /** The three tables, as read or as the oracle computes them. */
    private record Tables(Map<WindowKey, Long> views, Map<WindowKey, Long> activity, Map<WindowKey, BigDecimal> revenue) {

        static Tables empty() {
            return new Tables(Map.of(), Map.of(), Map.of());
        }

        static Tables read(AnalyticsTables tables) {
            return new Tables(tables.productViews(), tables.categoryActivity(), tables.categoryRevenue());
        }

        /** The contract's oracle over these messages, in the order Kafka holds them, with none late. */
        static Tables oracle(List<SentMessage> messages, Predicate<SentMessage> counted) {
            ReferenceAnalytics reference = new ReferenceAnalytics(WINDOW, event -> false);
            messages.stream().filter(counted).forEach(m -> reference.add(m.message().payload(), TOPIC, m.partition(), m.offset()));
            return new Tables(keyed(reference.productViews), keyed(reference.categoryActivity), keyed(reference.categoryRevenue));
        }

        /** The rows of these windows only. */
        Tables in(Set<Instant> windows) {
            return new Tables(only(views, windows), only(activity, windows), only(revenue, windows));
        }

        private static <V> Map<WindowKey, V> only(Map<WindowKey, V> rows, Set<Instant> windows) {
            Map<WindowKey, V> kept = new TreeMap<>();
            rows.forEach((key, value) -> {
                if (windows.contains(key.windowStart())) {
                    kept.put(key, value);
                }
            });
            return kept;
        }

        private static <V> Map<WindowKey, V> keyed(Map<ReferenceAnalytics.WindowKey, V> rows) {
            Map<WindowKey, V> keyed = new TreeMap<>();
            rows.forEach((key, value) -> keyed.put(new WindowKey(key.windowStart(), key.windowEnd(), key.key()), value));
            return keyed;
        }
    }
}

package dev.shopstream.analytics.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.shopstream.analytics.audit.BatchRanges.Batch;
import dev.shopstream.analytics.audit.BatchRanges.TopicPartition;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * The audit, independent of the stream's parse and aggregation: a plain Kafka consumer reads the exact offset ranges
 * of committed batches ({@code stream_progress}, {@link BatchRanges}), the contract's oracle judges and counts each
 * record with the late watermark of the batch that read it ({@link OracleRecompute}), and every table is compared,
 * key by key, with that recompute ({@link AuditComparison}). Optionally folds the late events in first.
 *
 * <p>Incremental: a run checks only closed windows ({@code window_end <= watermark} of the newest batch) not found
 * exact yet, and reads only the batches that can hold their on-time records ({@link BatchSelection}) and the batches
 * no run read yet (from the cursor: the newest batch a run read, in audit_run), so that every batch's late records
 * reach late_events once. A window it checks had all its on-time records read; a window found exact is not read
 * again. Limit: a copy of an event_id counts as a duplicate only when the run read the first copy, so a conflicting
 * copy whose first copy lies in a batch before the run's first one (another window, beyond the batches it reads) is
 * counted by the recompute.
 *
 * <p>Retention: when Kafka (or the progress table) no longer holds the first batches, only windows starting after
 * {@code watermark(first retained batch) + WATERMARK_DELAY} are audited: a record of an earlier batch had an event
 * time at most the newest event time before that batch, which is that watermark plus the delay.
 */
public final class WindowAudit {

    private static final Logger LOG = LogManager.getLogger(WindowAudit.class);

    /**
     * About how many records one pass reads (and holds, through the oracle's first copies) at most: a pass also reads
     * at least one new batch, and the batches that can hold the windows it must check.
     */
    public static final long MAX_RECORDS_PER_PASS = 200_000;

    private final JobSettings settings;
    private final AuditStore store;
    private final long maxRecordsPerPass;

    public WindowAudit(JobSettings settings) {
        this(settings, MAX_RECORDS_PER_PASS);
    }

    WindowAudit(JobSettings settings, long maxRecordsPerPass) {
        this.settings = settings;
        this.store = new AuditStore(JdbcTarget.from(settings));
        this.maxRecordsPerPass = maxRecordsPerPass;
    }

    /** Audits and records the result (audit_window, late_events, audit_run). */
    public AuditReport run() throws SQLException {
        return run(false);
    }

    /**
     * With {@code fold}: first rewrites every closed window holding late events not folded yet from the recompute
     * (window_totals and the three tables), marks them folded, then audits. Running it again folds nothing more.
     * One run is as many passes as it takes to reach the newest batch, each of about {@code maxRecordsPerPass}
     * records (its own audit_run row), so that a backlog is not held in memory at once.
     */
    public AuditReport run(boolean fold) throws SQLException {
        AuditReport report = null;
        Pass pass;
        do {
            pass = runPass(fold);
            report = report == null ? pass.report() : report.followedBy(pass.report());
        } while (!pass.caughtUp());
        return report;
    }

    /** One pass's report, and whether it read up to the newest batch (or had nothing to read). */
    private record Pass(AuditReport report, boolean caughtUp) {
    }

    private Pass runPass(boolean fold) throws SQLException {
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        Duration window = settings.windowDuration();
        Duration delay = settings.watermarkDelay();
        BatchRanges all;
        AuditStore.Previous previous;
        try (Connection connection = store.connect()) {
            all = BatchRanges.load(connection, AnalyticsSchema.QUERY_NAME);
            previous = store.previous(connection);
        }
        if (all.newest().isEmpty() || all.newest().get().watermark() == null) {
            return new Pass(store.recordNothingRead(started, null), true); // nothing is closed yet
        }
        Batch newest = all.newest().get();
        BatchRanges retained = all.retainedFrom(earliestOffsets(newest.end().keySet()));
        if (retained.batches().isEmpty()) {
            return new Pass(store.recordNothingRead(started, newest.watermark()), true);
        }
        Instant retainedAfter = BatchSelection.checkableAfter(retained.batches().get(0), delay);
        Instant earliest;
        try (Connection connection = store.connect()) {
            earliest = earliestToCheck(store.earliestUnsettled(connection, retainedAfter, newest.watermark(), fold), previous,
                    newest.watermark(), window);
        }
        List<Batch> batches = retained.batches();
        var from = BatchSelection.readFrom(batches, previous.cursor(), earliest, window, delay);
        if (from.isEmpty()) {
            AuditReport report = store.recordNothingRead(started, newest.watermark());
            LOG.info("{} in {} ms (closed until {})", report.summary(), (System.nanoTime() - startedNanos) / 1_000_000, newest.watermark());
            return new Pass(report, true);
        }
        long to = BatchSelection.readTo(batches, from.get(), previous.cursor(), maxRecordsPerPass);
        BatchRanges read = retained.between(from.get(), to);
        // No batch after `to` can hold an on-time record of a window ending by its watermark: the pass's windows are closed.
        Instant closedUntil = read.newest().orElseThrow().watermark();
        AuditStore.Frame frame = new AuditStore.Frame(closedUntil, BatchSelection.checkableAfter(read.batches().get(0), delay), window);
        OracleRecompute recompute = new OracleRecompute(window, fold);
        KafkaRangeReader.read(settings.kafkaBootstrapServers(), read.ranges(), recompute);
        AuditReport report = store.record(recompute, frame, fold, started, from.get(), to);
        LOG.info("{} in {} ms (closed until {}, {} windows checked)", report.summary(), (System.nanoTime() - startedNanos) / 1_000_000,
                closedUntil, report.windowsAudited());
        return new Pass(report, to >= newest.batchId());
    }

    /**
     * The earliest window the run must check: the earliest unsettled one, or the first that closed since the
     * previous run (none before a first run, which reads every retained batch anyway).
     */
    static Instant earliestToCheck(Instant unsettled, AuditStore.Previous previous, Instant closedUntil, Duration window) {
        Instant newlyClosed = null;
        if (previous.closedUntil() != null && closedUntil.isAfter(previous.closedUntil())) {
            long length = window.toMillis();
            newlyClosed = Instant.ofEpochMilli(Math.floorDiv(previous.closedUntil().toEpochMilli(), length) * length);
        }
        if (unsettled == null) {
            return newlyClosed;
        }
        return newlyClosed == null || unsettled.isBefore(newlyClosed) ? unsettled : newlyClosed;
    }

    /** The first offset Kafka still holds in each partition the query has read. */
    private Map<TopicPartition, Long> earliestOffsets(Set<TopicPartition> partitions) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<TopicPartition, Long> earliest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<org.apache.kafka.common.TopicPartition> kafkaPartitions = partitions.stream()
                    .map(tp -> new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())).toList();
            consumer.beginningOffsets(kafkaPartitions, Duration.ofSeconds(30)).forEach((tp, offset) ->
                    earliest.put(new TopicPartition(tp.topic(), tp.partition()), offset));
        }
        return earliest;
    }
}

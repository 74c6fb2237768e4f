package dev.shopstream.bench.fast;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.shopstream.bench.totals.AnalyticsTotals;
import dev.shopstream.contract.EventRules;

/**
 * Figure 2's limit of the machine for the job's work: plain Java as fast as it goes on ALL cores, in a cold JVM of its
 * own. One thread per core, each with its own KafkaConsumer on a round-robin share of the partitions; per record
 * the contract's verdict ({@link FastEventJudge}, falling back to EventRules), the event_id's first sighting
 * ({@link DedupScope}), and the three analytics in hash maps ({@link WindowCounts}); no database, no framework. Prints
 * {@value #RESULT}, then writes its per-window, per-key totals (the benchmark's totals file) for the comparison with
 * the oracle, which must be exact on every run.
 *
 * <p>Arguments: bootstrap servers, topic, totals file.
 */
public final class AllCoresReference {

    public static final String RESULT = "FAST_RESULT";
    public static final String TOTALS_WRITTEN = "FAST_TOTALS_WRITTEN";

    private AllCoresReference() {
    }

    /** What one thread did. */
    static final class Worker implements Runnable {
        final List<TopicPartition> partitions;
        final String bootstrap;
        final DedupScope dedup;
        final WindowCounts counts = new WindowCounts();
        final FastEventJudge judge = new FastEventJudge();
        final CanonicalUuid uuid = new CanonicalUuid();
        long records;
        long rejected;
        long duplicates;
        long offFastPath;

        Worker(String bootstrap, List<TopicPartition> partitions, DedupScope dedup) {
            this.bootstrap = bootstrap;
            this.partitions = partitions;
            this.dedup = dedup;
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        take(record.partition(), record.value());
                    }
                }
            }
        }

        void take(int partition, byte[] value) {
            records++;
            if (judge.judge(value)) {
                if (firstSighting(partition)) {
                    counts.add(judge);
                } else {
                    duplicates++;
                }
                return;
            }
            offFastPath++;
            EventRules.Verdict verdict = EventRules.judge(value == null ? null : new String(value, StandardCharsets.UTF_8));
            if (!verdict.valid()) {
                rejected++;
            } else if (dedup.firstSighting(partition, verdict.event().eventId())) {
                counts.add(verdict.event());
            } else {
                duplicates++;
            }
        }

        /** The judged event's id: a canonical lower-case UUID as two longs (no String), any other id as its text. */
        private boolean firstSighting(int partition) {
            char[] id = judge.text[FastEventJudge.EVENT_ID];
            int n = judge.length[FastEventJudge.EVENT_ID];
            if (uuid.parse(id, n)) {
                return dedup.firstSighting(partition, uuid.high, uuid.low);
            }
            return dedup.firstSighting(partition, new String(id, 0, n));
        }
    }

    static Properties consumerProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        Path totalsFile = Path.of(args[2]);
        int threads = Runtime.getRuntime().availableProcessors();
        List<TopicPartition> partitions;
        try (KafkaConsumer<byte[], byte[]> meta = new KafkaConsumer<>(consumerProperties(bootstrap), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            partitions = meta.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        DedupScope dedup = new DedupScope(1 << 16); // grows: a large first allocation only costs start-up
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < Math.min(threads, partitions.size()); t++) {
            List<TopicPartition> share = new ArrayList<>();
            for (int p = t; p < partitions.size(); p += threads) {
                share.add(partitions.get(p));
            }
            workers.add(new Worker(bootstrap, share, dedup));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> running = new ArrayList<>();
        for (Worker worker : workers) {
            Thread thread = new Thread(worker, "reference-" + worker.partitions);
            thread.setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e));
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a reference thread failed", failure.get());
        }
        long end = System.currentTimeMillis();
        AnalyticsTotals totals = new AnalyticsTotals();
        workers.forEach(w -> w.counts.addTo(totals));
        long records = workers.stream().mapToLong(w -> w.records).sum();
        System.out.println(RESULT + " topic=" + topic + " events=" + records + " end_epoch_ms=" + end + " threads=" + workers.size()
                + " activity_total=" + totals.activityTotal() + " view_total=" + totals.viewTotal()
                + " rejected=" + workers.stream().mapToLong(w -> w.rejected).sum()
                + " duplicates=" + workers.stream().mapToLong(w -> w.duplicates).sum()
                + " off_fast_path=" + workers.stream().mapToLong(w -> w.offFastPath).sum()
                + " peak_rss_kib=" + peakRssKib());
        System.out.flush();
        totals.write(totalsFile);
        System.out.println(TOTALS_WRITTEN + " " + totalsFile);
        System.out.flush();
    }

    static long peakRssKib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}

package dev.shopstream.analytics.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads exactly the offset ranges of the batches given, with a plain {@link KafkaConsumer} (no Spark, no consumer
 * group, nothing committed), and hands each record's value to the sink with the batch range that read it, each
 * partition's records in offset order.
 */
final class KafkaRangeReader {

    /** Receives one record: the batch range holding it, its offset, its value as text (null: no value). */
    interface RecordSink {
        void accept(BatchRange range, long offset, String value);
    }

    /** How long the reader waits for a partition that returns nothing before it gives up. */
    static final Duration STALLED_AFTER = Duration.ofSeconds(60);

    private KafkaRangeReader() {
    }

    /** Reads the ranges; returns how many records were handed over. */
    static long read(String bootstrapServers, List<BatchRange> ranges, RecordSink sink) {
        Map<TopicPartition, TreeMap<Long, BatchRange>> byPartition = new HashMap<>();
        for (BatchRange range : ranges) {
            byPartition.computeIfAbsent(new TopicPartition(range.topic(), range.partition()), tp -> new TreeMap<>())
                    .put(range.start(), range);
        }
        if (byPartition.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        byPartition.forEach((tp, starts) -> ends.put(tp, starts.lastEntry().getValue().end()));
        long handed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties(bootstrapServers))) {
            consumer.assign(byPartition.keySet());
            byPartition.forEach((tp, starts) -> consumer.seek(tp, starts.firstKey()));
            List<TopicPartition> open = new ArrayList<>(byPartition.keySet());
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Map.Entry<Long, BatchRange> holder = byPartition.get(tp).floorEntry(record.offset());
                    if (holder != null && record.offset() < holder.getValue().end()) {
                        sink.accept(holder.getValue(), record.offset(),
                                record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
                        handed++;
                    }
                    lastProgress = System.nanoTime();
                }
                List<TopicPartition> done = open.stream().filter(tp -> consumer.position(tp) >= ends.get(tp)).toList();
                if (!done.isEmpty()) {
                    open.removeAll(done);
                    consumer.pause(done);
                }
                if (!open.isEmpty() && System.nanoTime() - lastProgress > STALLED_AFTER.toNanos()) {
                    throw new IllegalStateException("Kafka returned nothing for " + STALLED_AFTER.toSeconds() + " s while the audit read "
                            + open + " up to " + ends);
                }
            }
        }
        return handed;
    }

    private static Properties properties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A range Kafka deleted meanwhile fails the run (the next one leaves it out) rather than being skipped.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return props;
    }
}

package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.shopstream.contract.ReferenceAnalytics;

/**
 * Figure 2's second reference, the machine's limit for the job's work: ONE plain-Java thread, in a cold JVM of
 * its own, that consumes the whole topic with kafka-clients, judges every record by the contract's rules
 * (Jackson), drops duplicate event_ids and computes the three aggregations in hash maps (BigDecimal revenue),
 * with no database and no framework: the correctness oracle of figure 2 (pipeline-contract's ReferenceAnalytics).
 * Prints one {@value #RESULT} line, then writes its per-window, per-key totals (the benchmark's totals file), with
 * which every other engine's are compared.
 *
 * <p>Arguments: bootstrap servers, topic, totals file.
 */
public final class PlainJavaReference {

    static final String RESULT = "PLAIN_RESULT";
    static final String TOTALS_WRITTEN = "PLAIN_TOTALS_WRITTEN";

    private PlainJavaReference() {
    }

    public static void main(String[] args) {
        String topic = args[1];
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long t0 = System.nanoTime();
        ReferenceAnalytics reference = new ReferenceAnalytics();
        try (KafkaConsumer<byte[], String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                ConsumerRecords<byte[], String> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], String> record : records) {
                    reference.add(record.value(), record.topic(), record.partition(), record.offset());
                }
            }
        }
        long end = System.currentTimeMillis();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long activity = reference.categoryActivity.values().stream().mapToLong(Long::longValue).sum();
        long views = reference.productViews.values().stream().mapToLong(Long::longValue).sum();
        System.out.println(RESULT + " topic=" + topic + " events=" + reference.records + " millis=" + millis + " end_epoch_ms=" + end
                + " activity_total=" + activity + " view_total=" + views + " rejected=" + reference.rejected.size()
                + " duplicates=" + reference.duplicates + " peak_rss_kib=" + Bench.vmHwmKib(ProcessHandle.current().pid()));
        System.out.flush();
        if (args.length > 2) {
            AnalyticsTotals.of(reference).write(java.nio.file.Path.of(args[2]));
            System.out.println(TOTALS_WRITTEN + " " + args[2]);
            System.out.flush();
        }
    }
}

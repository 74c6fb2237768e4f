package dev.shopstream.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, preloading and reading back, with the Kafka client (never the broker's classpath: our own). */
final class KafkaSupport {

    /** At least 4, so that the all-core references and Flink have a partition per thread on bigger machines too. */
    static final int PARTITIONS = 4;

    private KafkaSupport() {
    }

    static void createTopics(String bootstrap, List<String> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> newTopics = topics.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
            admin.createTopics(newTopics).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topics " + topics + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static KafkaProducer<String, String> producer(String bootstrap, boolean bulk) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (bulk) {
            props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L << 20));
        } else {
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        }
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Sends {@code count} events of the factory and waits until Kafka has acknowledged every one. */
    static void preload(String bootstrap, String topic, long count, TopicTraffic events) {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> error = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = producer(bootstrap, true)) {
            for (long i = 0; i < count; i++) {
                TopicTraffic.Event event = events.next();
                producer.send(record(topic, event), (metadata, exception) -> {
                    if (exception != null) {
                        failed.incrementAndGet();
                        error.compareAndSet(null, exception);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + count + " preloaded events failed: " + error.get());
        }
    }

    /**
     * The Kafka record of a traffic event, keyed by its key (user_id): a re-sent duplicate carries its first copy's key,
     * so it lands in the same partition, as an at-least-once producer's re-send does.
     */
    static ProducerRecord<String, String> record(String topic, TopicTraffic.Event event) {
        return new ProducerRecord<>(topic, event.key(), event.json());
    }

    /** The topic's end offset per partition, now. */
    static java.util.Map<Integer, Long> endOffsets(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            java.util.Map<Integer, Long> offsets = new java.util.TreeMap<>();
            consumer.endOffsets(partitions).forEach((partition, offset) -> offsets.put(partition.partition(), offset));
            return offsets;
        }
    }

    /** Up to {@code max} message values from the start of the topic. */
    static List<String> readValues(String bootstrap, String topic, int max) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-sample-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < max && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (values.size() < max) {
                        values.add(record.value());
                    }
                }
            }
        }
        return values;
    }

    static double averageBytes(List<String> values) {
        return values.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).average().orElse(Double.NaN);
    }

    static void writeLines(Path file, List<String> values) {
        try {
            Files.write(file, values, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

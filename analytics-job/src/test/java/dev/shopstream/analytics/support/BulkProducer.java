package dev.shopstream.analytics.support;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends many records fast, remembering none of them (unlike {@link EventProducer}): for bursts of a million
 * records or of records as large as the broker takes, where the test knows what it sent by construction. lz4,
 * as the producer service sends.
 */
public final class BulkProducer implements AutoCloseable {

    /** A record's key and value. */
    public record Record(String key, byte[] value) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Map<Integer, Long> endOffsets = new TreeMap<>();

    public BulkProducer(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024));
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** Sends records 0 .. count-1 and waits until Kafka has acknowledged all of them. */
    public void send(long count, LongFunction<Record> records) {
        Future<RecordMetadata> last = null;
        for (long i = 0; i < count; i++) {
            Record record = records.apply(i);
            last = producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (metadata, error) -> {
                if (error == null) {
                    synchronized (endOffsets) {
                        endOffsets.merge(metadata.partition(), metadata.offset() + 1, Math::max);
                    }
                }
            });
        }
        producer.flush();
        try {
            if (last != null) {
                last.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take a record", e.getCause());
        }
    }

    /** Partition -> the offset after the last record this producer sent there. */
    public Map<Integer, Long> endOffsets() {
        synchronized (endOffsets) {
            return new TreeMap<>(endOffsets);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

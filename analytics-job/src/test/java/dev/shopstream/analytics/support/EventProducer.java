package dev.shopstream.analytics.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends test messages to the topic and remembers where Kafka put each one. */
public final class EventProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final List<SentMessage> sent = new ArrayList<>();

    public EventProducer(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** Sends the messages in order and waits until Kafka has acknowledged all of them. */
    public List<SentMessage> send(List<TestMessage> messages) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (TestMessage message : messages) {
            acks.add(producer.send(new ProducerRecord<>(topic, message.key(), message.payload())));
        }
        producer.flush();
        List<SentMessage> batch = new ArrayList<>();
        try {
            for (int i = 0; i < messages.size(); i++) {
                RecordMetadata metadata = acks.get(i).get();
                batch.add(new SentMessage(messages.get(i), metadata.partition(), metadata.offset()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take a test message", e.getCause());
        }
        sent.addAll(batch);
        return batch;
    }

    /** Every message sent so far, in sending order. */
    public List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    /** Partition -> the offset after the last message sent there: where a consumer that read everything stands. */
    public Map<Integer, Long> endOffsets() {
        Map<Integer, Long> ends = new TreeMap<>();
        for (SentMessage message : sent) {
            ends.merge(message.partition(), message.offset() + 1, Math::max);
        }
        return ends;
    }

    @Override
    public void close() {
        producer.close();
    }
}

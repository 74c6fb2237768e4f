package dev.shopstream.producer.generator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hands events to a Kafka producer, one {@code send} with a callback each, at most {@code maxInFlight} of them
 * handed and not yet acknowledged or failed: past that cap an event is not sent but dropped and counted, since a
 * ticking source must never wait on, or be failed by, a slow broker. The cap is the channel's
 * {@code max-inflight-messages} (0: no cap), the setting SmallRye's own Kafka sink reads for the same purpose.
 * Only one thread sends; the producer's I/O thread completes.
 */
final class EventSender {

    private final Producer<String, String> producer;
    private final String topic;
    private final long maxInFlight;
    private final Callback delivered = this::delivered;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Handed to the producer: sent + failed + in flight. Only the sending thread writes it. */
    private final AtomicLong handed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /** @param maxInFlight the most events handed and not yet answered; 0 means no cap */
    EventSender(Producer<String, String> producer, String topic, long maxInFlight) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("max-inflight-messages must be 0 (no cap) or more, got " + maxInFlight);
        }
        this.producer = producer;
        this.topic = topic;
        this.maxInFlight = maxInFlight == 0 ? Long.MAX_VALUE : maxInFlight;
    }

    /** True when another event may be sent now; false when the cap is reached. */
    boolean hasRoom() {
        return handed.get() - sent.get() - failed.get() < maxInFlight;
    }

    /** Events due that could not be sent: the cap was reached. */
    void drop(long events) {
        dropped.addAndGet(events);
    }

    void send(String key, String payload) {
        handed.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, key, payload), delivered);
        } catch (RuntimeException e) { // e.g. the producer is closing: the callback is not called
            failed(e);
        }
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    long dropped() {
        return dropped.get();
    }

    String lastError() {
        return lastError.get();
    }

    /** The producer's callback, on its I/O thread: keep it short. */
    private void delivered(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            sent.incrementAndGet();
        } else {
            failed(exception);
        }
    }

    private void failed(Exception e) {
        failed.incrementAndGet();
        lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}

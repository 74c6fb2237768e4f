package dev.shopstream.producer.generator;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.shopstream.contract.EventContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The back-pressure setting does what it says: with max-inflight-messages N, at most N events are handed to
 * Kafka and not yet answered; an answer (acknowledged or failed) frees a place; 0 means no cap. Kafka's own
 * MockProducer stands in for the producer, completing sends when the test says so; the real broker is the
 * ProducerResourceTest's and BrokerOutageIT's.
 */
class EventSenderTest {

    private final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());

    @Test
    void shouldHandAtMostTheCapToKafkaUntilItAnswers() {
        EventSender sender = new EventSender(producer, EventContract.TOPIC, 3);
        int handed = 0;
        for (int i = 0; i < 5; i++) {
            if (sender.hasRoom()) {
                sender.send("user_" + i, "{}");
                handed++;
            } else {
                sender.drop(1);
            }
        }
        assertThat(handed).isEqualTo(3);
        assertThat(producer.history()).hasSize(3);
        assertThat(sender.dropped()).isEqualTo(2);

        producer.completeNext();
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("expired"));
        assertThat(sender.sent()).isEqualTo(1);
        assertThat(sender.failed()).isEqualTo(1);
        assertThat(sender.lastError()).isEqualTo("TimeoutException: expired");
        assertThat(sender.hasRoom()).isTrue();
        sender.send("user_5", "{}");
        sender.send("user_6", "{}");
        assertThat(sender.hasRoom()).isFalse();
        assertThat(producer.history()).extracting(r -> r.key()).containsExactly("user_0", "user_1", "user_2", "user_5", "user_6");
        assertThat(producer.history()).allSatisfy(r -> assertThat(r.topic()).isEqualTo(EventContract.TOPIC));
    }

    @Test
    void shouldNotCapAtZero() {
        EventSender sender = new EventSender(producer, EventContract.TOPIC, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(sender.hasRoom()).isTrue();
            sender.send("user", "{}");
        }
        assertThat(producer.history()).hasSize(10_000);
        assertThat(sender.dropped()).isZero();
    }

    @Test
    void shouldRefuseANegativeCap() {
        assertThatThrownBy(() -> new EventSender(producer, EventContract.TOPIC, -1)).hasMessageContaining("max-inflight-messages");
    }
}

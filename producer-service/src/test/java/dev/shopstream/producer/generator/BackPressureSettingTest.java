package dev.shopstream.producer.generator;

import dev.shopstream.producer.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's cap on events in flight is the channel's max-inflight-messages, as configured (EventSenderTest: what the cap does). */
@QuarkusTest
class BackPressureSettingTest {

    static { RealInfrastructure.class.getName(); }

    @Inject
    TrafficEmitter emitter;

    @ConfigProperty(name = "mp.messaging.outgoing.user-events.max-inflight-messages")
    long configured;

    @Test
    void shouldCapTheEventsInFlightAtTheChannelsSetting() {
        assertThat(configured).isEqualTo(50_000);
        assertThat(emitter.maxInFlight()).isEqualTo(configured);
    }
}

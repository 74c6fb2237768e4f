package dev.shopstream.producer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Apache Kafka broker (KRaft) in a JVM of its own, on free ports, with the user_events topic.
 * No Docker here, so no Dev Services: this is the broker the tests talk to.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOPIC = EventContract.TOPIC;
    private static volatile String bootstrapServers;
    private KafkaBrokerProcess broker;

    @Override
    public Map<String, String> start() {
        try {
            broker = KafkaBrokerProcess.startOnFreePorts(Files.createTempDirectory("producer-service-kafka"),
                    Map.of(TOPIC, 3), System.out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bootstrapServers = broker.bootstrapServers();
        return Map.of("kafka.bootstrap.servers", bootstrapServers);
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    public static String bootstrapServers() {
        return bootstrapServers;
    }
}

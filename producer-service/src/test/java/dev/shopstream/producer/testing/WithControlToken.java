package dev.shopstream.producer.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with producer.control-token set: PUT /producer/rate then needs {@code Authorization: Bearer TOKEN}. */
public class WithControlToken implements QuarkusTestProfile {

    public static final String TOKEN = "test-token-6f1c0e2a";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("producer.control-token", TOKEN);
    }
}

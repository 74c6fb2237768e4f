package dev.shopstream.bench;

import java.time.Instant;

/** The realistic traffic for tests of other packages (its classes are the benchmark package's own). */
public final class TrafficForTests {

    private TrafficForTests() {
    }

    public static TopicTraffic realistic(Instant start) {
        return new RealisticTraffic(TrafficMix.defaults(), start);
    }
}

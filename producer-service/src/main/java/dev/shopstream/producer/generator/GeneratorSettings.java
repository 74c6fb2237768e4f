package dev.shopstream.producer.generator;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The {@code producer.*} keys of application.properties (each also settable as an environment variable, e.g. PRODUCER_RATE). */
@ConfigMapping(prefix = "producer")
public interface GeneratorSettings {

    /** Events per second at start-up; 0 starts paused. Changeable while running with PUT /producer/rate. */
    @WithDefault("50")
    double rate();

    /** The highest rate PUT /producer/rate accepts; anything above is refused as absurd. */
    @WithDefault("200000")
    double maxRate();

    /** Makes the stream reproducible: the same seed gives the same events (ids, users, products, order). */
    Optional<Long> seed();

    /** How many distinct shoppers. */
    @WithDefault("5000")
    int users();

    /** How many products in the catalog; each has a fixed category and price. */
    @WithDefault("500")
    int products();

    /** The catalog's categories. */
    @WithDefault("electronics,books,fashion,home & kitchen,sports,toys,beauty,grocery,garden,automotive")
    List<String> categories();

    /** Zipf exponent of product popularity: higher means a few hot products take more of the traffic. */
    @WithDefault("1.1")
    double popularitySkew();

    /** Share of events that add the shopper's last viewed product to the cart. */
    @WithDefault("0.12")
    double addToCartRatio();

    /** Share of events that buy something from the shopper's cart (when the cart has anything). */
    @WithDefault("0.05")
    double purchaseRatio();

    /** Share of events sent late, with an event time in the past, to exercise the job's watermark. */
    @WithDefault("0.01")
    double lateEventRatio();

    /** How far in the past a late event's time lies, at most (at least 10 seconds). */
    @WithDefault("5m")
    Duration lateEventMaxDelay();

    /**
     * When set, PUT /producer/rate needs {@code Authorization: Bearer <token>} (env PRODUCER_CONTROL_TOKEN); unset,
     * the control endpoint is open, as on the local stack on localhost.
     */
    Optional<String> controlToken();

    /** Turns the settings into the generator's plain parameters, refusing nonsense with a message that names the key. */
    default TrafficProfile profile() {
        return new TrafficProfile(seed().orElse(null), users(), products(), categories(), popularitySkew(),
                addToCartRatio(), purchaseRatio(), lateEventRatio(), lateEventMaxDelay());
    }
}

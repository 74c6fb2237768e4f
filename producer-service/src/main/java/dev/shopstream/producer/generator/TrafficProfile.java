package dev.shopstream.producer.generator;

import java.time.Duration;
import java.util.List;

/**
 * The shape of the simulated shop, checked once: how many shoppers and products, how skewed popularity is,
 * how deep the funnel goes and how much traffic arrives late. {@code seed} null means a random stream.
 */
public record TrafficProfile(Long seed, int users, int products, List<String> categories, double popularitySkew,
                             double addToCartRatio, double purchaseRatio, double lateEventRatio,
                             Duration lateEventMaxDelay) {

    public static final Duration MIN_LATENESS = Duration.ofSeconds(10);

    public TrafficProfile {
        require(users >= 1 && users <= 10_000_000, "producer.users must be between 1 and 10000000, got " + users);
        require(products >= 1 && products <= 10_000_000, "producer.products must be between 1 and 10000000, got " + products);
        require(categories != null && !categories.isEmpty(), "producer.categories must name at least one category");
        categories = List.copyOf(categories.stream().map(String::trim).toList());
        for (String category : categories) {
            require(!category.isEmpty() && category.length() <= 128, "producer.categories must be 1 to 128 characters each, got '" + category + "'");
        }
        require(popularitySkew >= 0 && popularitySkew <= 5, "producer.popularity-skew must be between 0 and 5, got " + popularitySkew);
        requireShare("producer.add-to-cart-ratio", addToCartRatio);
        requireShare("producer.purchase-ratio", purchaseRatio);
        requireShare("producer.late-event-ratio", lateEventRatio);
        require(addToCartRatio + purchaseRatio < 1, "producer.add-to-cart-ratio + producer.purchase-ratio must leave room for views (< 1)");
        require(lateEventMaxDelay != null && lateEventMaxDelay.compareTo(MIN_LATENESS) >= 0,
                "producer.late-event-max-delay must be at least " + MIN_LATENESS.toSeconds() + "s, got " + lateEventMaxDelay);
    }

    private static void requireShare(String key, double value) {
        require(value >= 0 && value <= 1, key + " must be between 0 and 1, got " + value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

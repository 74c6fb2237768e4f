package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The clean benchmark profile, kept beside the realistic default ({@link RealisticTraffic}) as a second row and for
 * the scale figure, whose exact count of distinct products needs its catalog walk. Valid events of the contract (pipeline-contract/README.md), written as the producer service writes them,
 * for preloading a topic quickly and reproducibly. The shop mix is the service's: 83% views, 12% add-to-cart,
 * 5% purchases, 5,000 shoppers, 10 categories, each product with a fixed category and price.
 *
 * <p>Views walk the catalog in a fixed permutation, so the first {@code products} views touch every product
 * exactly once: after n views there are exactly min(n, products) distinct products in the state. Event times
 * advance at {@code eventTimeRate} events per second from {@code start}.
 */
final class EventFactory implements TopicTraffic {

    static final String[] CATEGORIES = {"electronics", "books", "fashion", "home & kitchen", "sports", "toys", "beauty",
            "grocery", "garden", "automotive"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long STRIDE = 1_000_003L; // prime, so i * STRIDE mod products is a permutation
    private static final int USERS = 5_000;

    private final SplittableRandom random;
    private final int products;
    private final String productFormat;
    private final long startMillis;
    private final double eventTimeRate;
    private long index;
    private long views;
    private long purchases;

    EventFactory(long seed, int products, Instant start, double eventTimeRate) {
        this.random = new SplittableRandom(seed);
        this.products = products;
        this.productFormat = "prod_%0" + Math.max(4, String.valueOf(products - 1).length()) + "d";
        this.startMillis = start.toEpochMilli();
        this.eventTimeRate = eventTimeRate;
    }

    @Override
    public Event next() {
        String user = String.format("user_%04d", random.nextInt(USERS) + 1);
        double action = random.nextDouble();
        String type;
        int product;
        if (action < 0.05) {
            type = "purchase";
            product = random.nextInt(products);
            purchases++;
        } else if (action < 0.17) {
            type = "add_to_cart";
            product = random.nextInt(products);
        } else {
            type = "product_view";
            product = (int) ((views++ % products) * STRIDE % products);
        }
        long cents = 499 + (product * 7919L) % 99_500;
        long eventMillis = startMillis + (long) (index++ * 1000.0 / eventTimeRate);
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        String json = "{\"event_id\":\"" + new UUID(high, low) + "\",\"event_type\":\"" + type + "\",\"user_id\":\"" + user
                + "\",\"product_id\":\"" + String.format(productFormat, product) + "\",\"category\":\"" + CATEGORIES[product % CATEGORIES.length]
                + "\",\"price\":" + (cents / 100) + "." + String.format("%02d", cents % 100)
                + ",\"event_time\":\"" + TIME.format(Instant.ofEpochMilli(eventMillis)) + "\"}";
        return new Event(user, json);
    }

    long generated() {
        return index;
    }

    long views() {
        return views;
    }

    long purchases() {
        return purchases;
    }

    @Override
    public long expectedEvents() {
        return index;
    }

    @Override
    public long expectedViews() {
        return views;
    }

    /** Not kept: the clean profile is checked by its sums (every record valid and unique). */
    @Override
    public AnalyticsTotals expectedTotals() {
        return null;
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "the clean all-ASCII profile (EventFactory): %,d records, every one valid, unique, in order, "
                + "uniform over %,d products", index, products);
    }

    /** Distinct products among the views generated so far. */
    long distinctViewedProducts() {
        return Math.min(views, products);
    }
}

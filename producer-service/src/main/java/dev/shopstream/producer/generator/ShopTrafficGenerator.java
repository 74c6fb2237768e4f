package dev.shopstream.producer.generator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.shopstream.producer.events.EventType;
import dev.shopstream.producer.events.UserEvent;

/**
 * Simulated shoppers moving through a funnel: they view popular products, add what they last viewed to
 * their cart, and buy from their cart. Views far outnumber carts, and carts purchases. A small share of
 * events is stamped in the past, as a phone that was offline would send them.
 *
 * <p>Deterministic for a seed: the same seed and the same clock readings give the same events. Not
 * thread-safe: one emitter thread owns it.
 */
public final class ShopTrafficGenerator {

    private static final int CART_CAPACITY = 8;

    private final long seed;
    private final TrafficProfile profile;
    private final SplittableRandom random;
    private final ShopCatalog catalog;
    private final String[] userIds;
    private final int[] lastViewed;
    private final int[][] carts;
    private final int[] cartSizes;
    private final long maxLatenessMillis;

    public ShopTrafficGenerator(TrafficProfile profile) {
        this.profile = profile;
        this.seed = profile.seed() != null ? profile.seed() : new SplittableRandom().nextLong();
        this.random = new SplittableRandom(seed);
        this.catalog = new ShopCatalog(profile, random);
        int width = Math.max(4, String.valueOf(profile.users()).length());
        this.userIds = new String[profile.users()];
        for (int i = 0; i < userIds.length; i++) {
            userIds[i] = String.format("user_%0" + width + "d", i + 1);
        }
        this.lastViewed = new int[profile.users()];
        Arrays.fill(lastViewed, -1);
        this.carts = new int[profile.users()][];
        this.cartSizes = new int[profile.users()];
        this.maxLatenessMillis = profile.lateEventMaxDelay().toMillis();
    }

    /** The seed in use: the configured one, or the random one chosen, so any run can be replayed. */
    public long seed() {
        return seed;
    }

    public TrafficProfile profile() {
        return profile;
    }

    /** The next event, stamped {@code now} (or earlier, for a late one). */
    public UserEvent next(Instant now) {
        int user = random.nextInt(userIds.length);
        double action = random.nextDouble();
        EventType type;
        int product;
        if (action < profile.purchaseRatio() && cartSizes[user] > 0) {
            type = EventType.PURCHASE;
            product = takeFromCart(user);
        } else if (action < profile.purchaseRatio() + profile.addToCartRatio() && lastViewed[user] >= 0) {
            type = EventType.ADD_TO_CART;
            product = lastViewed[user];
            putInCart(user, product);
        } else {
            type = EventType.PRODUCT_VIEW;
            product = catalog.samplePopular(random);
            lastViewed[user] = product;
        }
        Instant eventTime = now.truncatedTo(ChronoUnit.MILLIS);
        if (random.nextDouble() < profile.lateEventRatio()) {
            long minLateness = TrafficProfile.MIN_LATENESS.toMillis();
            eventTime = eventTime.minusMillis(minLateness + (long) (random.nextDouble() * (maxLatenessMillis - minLateness)));
        }
        ShopCatalog.Product item = catalog.get(product);
        return new UserEvent(nextUuid(), type, userIds[user], item.id(), item.category(), item.price(), eventTime);
    }

    private void putInCart(int user, int product) {
        if (carts[user] == null) {
            carts[user] = new int[CART_CAPACITY];
        }
        if (cartSizes[user] == CART_CAPACITY) { // a full cart forgets its oldest item
            System.arraycopy(carts[user], 1, carts[user], 0, CART_CAPACITY - 1);
            cartSizes[user]--;
        }
        carts[user][cartSizes[user]++] = product;
    }

    private int takeFromCart(int user) {
        int slot = random.nextInt(cartSizes[user]);
        int product = carts[user][slot];
        carts[user][slot] = carts[user][--cartSizes[user]];
        return product;
    }

    /** A version-4 UUID drawn from the seeded stream, so ids repeat with the seed. */
    private String nextUuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}

package dev.shopstream.analytics.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A deterministic (seeded) stream of shop traffic for the integration tests, with the trouble a real stream
 * has mixed in: malformed messages of every kind, re-deliveries of the same event, events out of order, and
 * events so late that the watermark must drop them.
 *
 * <p>Event time advances with a nominal clock; each event is up to {@link #MAX_DISORDER} behind it, and a
 * re-delivery repeats an event at most {@link #MAX_DUPLICATE_AGE} behind it. Both stay well inside a 1-minute
 * watermark delay whatever way Spark cuts the stream into batches (the watermark can never pass the newest
 * event time sent minus the delay), so every on-time event and re-delivery is on time for sure.
 */
public final class ShopEventStream {

    public static final Duration MAX_DISORDER = Duration.ofSeconds(20);
    public static final Duration MAX_DUPLICATE_AGE = Duration.ofSeconds(30);
    private static final String[] CATEGORIES = {"electronics", "home & garden", "books", "toys & games",
            "Küche & Haushalt", "玩具", "beauty \uD83D\uDC84", "sports outdoors"};
    private static final int PRODUCTS = 60;
    private static final int USERS = 300;
    private static final String[] TYPES = {"product_view", "add_to_cart", "purchase"};

    private final Random random;
    private final Instant start;
    private final BigDecimal[] listPrices = new BigDecimal[PRODUCTS];
    private final List<ShopEvent> onTimeSent = new ArrayList<>();
    private Instant clock;
    private int invalidCount;

    public ShopEventStream(long seed, Instant start) {
        this.random = new Random(seed);
        this.start = start;
        this.clock = start;
        for (int i = 0; i < PRODUCTS; i++) {
            // Mostly catalog prices, some of 0.10 and 0.20: sums of those are where a double goes wrong.
            listPrices[i] = i % 10 == 0 ? new BigDecimal("0.10") : i % 10 == 1 ? new BigDecimal("0.20")
                    : BigDecimal.valueOf(1 + random.nextInt(99_999), 2);
        }
    }

    public Instant start() {
        return start;
    }

    /** The nominal clock: no on-time event sent so far is later than this. */
    public Instant clock() {
        return clock;
    }

    /**
     * {@code count} valid events advancing the clock by {@code span}, out of order by up to {@link #MAX_DISORDER},
     * with re-deliveries ({@code duplicateRatio} of the events) and malformed messages ({@code invalidRatio}).
     */
    public List<TestMessage> onTime(int count, Duration span, double duplicateRatio, double invalidRatio) {
        List<TestMessage> messages = new ArrayList<>();
        Instant from = clock;
        for (int i = 0; i < count; i++) {
            clock = from.plusMillis(span.toMillis() * (i + 1) / count);
            Instant time = clock.minusMillis(random.nextInt((int) MAX_DISORDER.toMillis() + 1));
            ShopEvent event = newEvent(time);
            onTimeSent.add(event);
            messages.add(TestMessage.onTime(event));
            if (random.nextDouble() < duplicateRatio) {
                messages.add(TestMessage.onTime(recentEvent()));
            }
            if (random.nextDouble() < invalidRatio) {
                messages.add(invalid());
            }
        }
        return messages;
    }

    /** Valid events an hour before the stream began: far behind any watermark once the stream has run. */
    public List<TestMessage> veryLate(int count) {
        List<TestMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant time = start.minus(Duration.ofHours(1)).plusMillis(random.nextInt(10 * 60_000));
            messages.add(TestMessage.late(newEvent(time)));
        }
        return messages;
    }

    /** Re-deliveries of on-time events whose event time is before {@code before}: late once the watermark is past it. */
    public List<TestMessage> lateRedeliveries(int count, Instant before) {
        List<ShopEvent> old = onTimeSent.stream().filter(e -> e.eventTime().isBefore(before)).toList();
        List<TestMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(TestMessage.late(old.get(random.nextInt(old.size()))));
        }
        return messages;
    }

    /**
     * The on-time messages in their order, with the extra ones inserted at random (seeded) places: late
     * events turn up in the middle of normal traffic without disturbing its order.
     */
    public List<TestMessage> interleave(List<TestMessage> inOrder, List<TestMessage> extra) {
        List<TestMessage> mixed = new ArrayList<>(inOrder);
        for (TestMessage message : extra) {
            mixed.add(random.nextInt(mixed.size() + 1), message);
        }
        return mixed;
    }

    private ShopEvent newEvent(Instant time) {
        int product = random.nextInt(PRODUCTS);
        int roll = random.nextInt(100);
        String type = roll < 60 ? TYPES[0] : roll < 80 ? TYPES[1] : TYPES[2];
        return new ShopEvent(new UUID(random.nextLong(), random.nextLong()).toString(), type,
                String.format("user_%04d", random.nextInt(USERS)), String.format("prod_%04d", product),
                CATEGORIES[product % CATEGORIES.length], listPrices[product], time);
    }

    /** An event recent enough to be re-delivered on time: at most {@link #MAX_DUPLICATE_AGE} behind the clock. */
    private ShopEvent recentEvent() {
        Instant limit = clock.minus(MAX_DUPLICATE_AGE);
        int from = Math.max(0, onTimeSent.size() - 200);
        for (int attempt = 0; attempt < 20; attempt++) {
            ShopEvent candidate = onTimeSent.get(from + random.nextInt(onTimeSent.size() - from));
            if (!candidate.eventTime().isBefore(limit)) {
                return candidate;
            }
        }
        return onTimeSent.get(onTimeSent.size() - 1);
    }

    /** A malformed message of one of eleven kinds, in turn, with the reason the job must give. */
    private TestMessage invalid() {
        ShopEvent base = newEvent(clock);
        EventJson json = base.toEventJson();
        String key = base.userId();
        int kind = invalidCount++ % 11;
        return switch (kind) {
            case 0 -> TestMessage.invalid(key, "not json at all #" + invalidCount, "not_json");
            case 1 -> {
                String full = json.json();
                yield TestMessage.invalid(key, full.substring(0, full.length() - 12), "not_json");
            }
            case 2 -> TestMessage.invalid(key, "", "not_json");
            case 3 -> TestMessage.invalid(key, null, "not_json");
            case 4 -> TestMessage.invalid(key, "[" + json.json() + "]", "not_json");
            case 5 -> {
                String field = List.of("event_id", "event_type", "user_id", "product_id", "category", "price", "event_time")
                        .get(random.nextInt(7));
                yield TestMessage.invalid(key, json.without(field).json(), "missing_field:" + field);
            }
            case 6 -> TestMessage.invalid(key, json.text("event_type", "refund").json(), "unknown_event_type");
            case 7 -> TestMessage.invalid(key, json.raw("price", List.of("0", "-4.99", "12.345", "\"abc\"")
                    .get(random.nextInt(4))).json(), "invalid_price");
            case 8 -> TestMessage.invalid(key, json.text("event_time", List.of("2026-11-25 10:00:00", "not-a-time",
                    "2026-02-30T10:00:00Z").get(random.nextInt(3))).json(), "invalid_event_time");
            case 9 -> random.nextBoolean()
                    ? TestMessage.invalid(key, json.text("event_id", "").json(), "empty_field:event_id")
                    : TestMessage.invalid(key, json.text("user_id", "   ").json(), "empty_field:user_id");
            default -> TestMessage.invalid(key, json.text("product_id", "p".repeat(129)).json(), "too_long_field:product_id");
        };
    }
}

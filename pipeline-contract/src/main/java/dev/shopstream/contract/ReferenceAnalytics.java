package dev.shopstream.contract;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The three analytics in plain Java, with no Spark in sight: the one reference that tests and benchmarks
 * compare the job against. Records are judged by {@link EventRules}; windows by integer arithmetic on epoch
 * milliseconds; each event_id counted once; money in BigDecimal. Which valid events are late is for the caller
 * to say (a test knows what it sent after the watermark; the audit knows each batch's watermark): those are
 * counted as late and nowhere else.
 */
public final class ReferenceAnalytics {

    /** A row key of a window table: the window and the product or category. */
    public record WindowKey(Instant windowStart, Instant windowEnd, String key) implements Comparable<WindowKey> {
        @Override
        public int compareTo(WindowKey other) {
            int byStart = windowStart.compareTo(other.windowStart);
            return byStart != 0 ? byStart : key.compareTo(other.key);
        }
    }

    /** A record kept aside: where it was and why. */
    public record Rejected(String topic, int partition, long offset, String rawPayload, String reason) {
    }

    public final Map<WindowKey, Long> productViews = new TreeMap<>();
    public final Map<WindowKey, Long> categoryActivity = new TreeMap<>();
    public final Map<WindowKey, BigDecimal> categoryRevenue = new TreeMap<>();
    /** By Kafka position ("topic/partition/offset"), in the order seen. */
    public final Map<String, Rejected> rejected = new LinkedHashMap<>();
    public long records;
    public long lateEvents;
    public long duplicates;

    private final long windowMillis;
    private final Predicate<ValidEvent> late;
    private final Set<String> counted = new HashSet<>();

    public ReferenceAnalytics(Duration window, Predicate<ValidEvent> late) {
        this.windowMillis = window.toMillis();
        this.late = late;
    }

    /** With the default windows and no late events. */
    public ReferenceAnalytics() {
        this(AnalyticsSchema.DEFAULT_WINDOW, event -> false);
    }

    /** Takes one Kafka record's value. */
    public void add(String payload, String topic, int partition, long offset) {
        records++;
        EventRules.Verdict verdict = EventRules.judge(payload);
        if (!verdict.valid()) {
            rejected.putIfAbsent(topic + "/" + partition + "/" + offset, new Rejected(topic, partition, offset, payload, verdict.reason()));
            return;
        }
        add(verdict.event());
    }

    /** Takes one valid event. */
    public void add(ValidEvent event) {
        if (late.test(event)) {
            lateEvents++;
            return;
        }
        if (!counted.add(event.eventId())) {
            duplicates++;
            return;
        }
        long startMillis = Math.floorDiv(event.eventTime().toEpochMilli(), windowMillis) * windowMillis;
        Instant start = Instant.ofEpochMilli(startMillis);
        Instant end = Instant.ofEpochMilli(startMillis + windowMillis);
        categoryActivity.merge(new WindowKey(start, end, event.category()), 1L, Long::sum);
        if (event.eventType().equals(EventContract.PRODUCT_VIEW)) {
            productViews.merge(new WindowKey(start, end, event.productId()), 1L, Long::sum);
        } else if (event.eventType().equals(EventContract.PURCHASE)) {
            categoryRevenue.merge(new WindowKey(start, end, event.category()), event.price(), BigDecimal::add);
        }
    }
}

package dev.shopstream.contract;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The three analytics in plain Java, with no Spark in sight: the one reference that tests and benchmarks
 * compare the job against. Records are judged by {@link EventRules}; windows by integer arithmetic on epoch
 * milliseconds; money in BigDecimal. Each event_id counts once per Kafka partition, the first copy given (callers
 * give each partition's records in offset order): a later copy equal to it in what the analytics read is a
 * duplicate, one that differs is kept aside as a conflicting duplicate (the contract's meaning, pipeline-contract/README.md). Which valid
 * events are late is for the caller to say (a test knows what it sent after the watermark; the audit knows each
 * batch's watermark): those are counted as late and nowhere else.
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
    /** Per Kafka partition: each event_id's first copy. */
    private final Map<Integer, Map<String, ValidEvent>> firstCopies = new HashMap<>();

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
        add(verdict.event(), topic, partition, offset);
    }

    /** Takes one valid event and where Kafka holds it. */
    public void add(ValidEvent event, String topic, int partition, long offset) {
        if (late.test(event)) {
            lateEvents++;
            return;
        }
        ValidEvent first = firstCopies.computeIfAbsent(partition, p -> new HashMap<>()).putIfAbsent(event.eventId(), event);
        if (first != null) {
            if (sameAnalytics(first, event)) {
                duplicates++;
            } else {
                rejected.putIfAbsent(topic + "/" + partition + "/" + offset, new Rejected(topic, partition, offset,
                        RejectedPayload.describing(event.eventId(), event.eventType(), event.productId(), event.category(), event.price(),
                                event.eventTime()).text(), RejectReason.CONFLICTING_DUPLICATE));
            }
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

    /** Equal in what the analytics read: the type, product, category, price and time (the user is not counted). */
    private static boolean sameAnalytics(ValidEvent a, ValidEvent b) {
        return a.eventType().equals(b.eventType()) && a.productId().equals(b.productId()) && a.category().equals(b.category())
                && a.price().equals(b.price()) && a.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                .equals(b.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }
}

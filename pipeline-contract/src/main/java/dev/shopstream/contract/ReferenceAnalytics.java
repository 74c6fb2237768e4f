package dev.shopstream.contract;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The three analytics in plain Java, with no Spark in sight: the one reference that tests and benchmarks
 * compare the job against. Records are judged by {@link EventRules}; windows by integer arithmetic on epoch
 * milliseconds; money in BigDecimal. Each event_id counts once per Kafka partition, the first copy given (callers
 * give each partition's records in offset order): a later copy equal to it in what the analytics read is a
 * duplicate, one that differs is kept aside as a conflicting duplicate (the contract's meaning, pipeline-contract/README.md). Which valid
 * events are late is for the caller to say (a test knows what it sent after the watermark; the audit knows each
 * batch's watermark, and gives each record with it to {@link #read}): those are counted as late and nowhere else.
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

    /** What became of one record given to {@link #read}. */
    public enum Fate {
        /** Counted in its window (the first copy of its event_id in its partition, on time). */
        COUNTED,
        /** Valid, and at or behind the watermark of the batch that read it: counted nowhere. */
        LATE,
        /** A later copy of a counted event, equal to it in what the analytics read. */
        DUPLICATE,
        /** A later copy of a counted event that differs from it: kept aside. */
        CONFLICTING_DUPLICATE,
        /** Not an event by the contract's rules: kept aside. */
        REJECTED
    }

    /**
     * One record's fate, and its event when it is valid. {@code alreadyCounted}: for a late record, a copy of its
     * event_id was counted before it in its partition, so its window lost nothing by dropping it.
     */
    public record Judged(Fate fate, ValidEvent event, boolean alreadyCounted) {
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
    private final Function<String, BigDecimal> priceRule;
    /** Per Kafka partition: each event_id's first copy. */
    private final Map<Integer, Map<String, ValidEvent>> firstCopies = new HashMap<>();

    public ReferenceAnalytics(Duration window, Predicate<ValidEvent> late) {
        this(window, late, EventRules::price);
    }

    private ReferenceAnalytics(Duration window, Predicate<ValidEvent> late, Function<String, BigDecimal> priceRule) {
        this.windowMillis = window.toMillis();
        this.late = late;
        this.priceRule = priceRule;
    }

    /**
     * An oracle that judges prices with another implementation of the price rule (the audit gives
     * {@link PriceInCents#price}), and whose late records are said per record by {@link #read}.
     */
    public static ReferenceAnalytics withPriceRule(Duration window, Function<String, BigDecimal> priceRule) {
        return new ReferenceAnalytics(window, event -> false, priceRule);
    }

    /**
     * The streaming rule of lateness (Spark's, in the de-duplication and the aggregation alike): an event AT the
     * watermark is late too. No watermark (the first batch): nothing is late.
     */
    public static boolean behind(Instant eventTime, Instant watermark) {
        return watermark != null && !eventTime.isAfter(watermark);
    }

    /**
     * Takes one Kafka record's value read by a batch that judged lateness by {@code lateWatermark} (each
     * partition's records in offset order, as for {@link #add(String, String, int, long)}), and says what became
     * of it. A late record is counted in {@link #lateEvents} only: it neither counts nor takes its event_id's
     * first place, as in the stream, which drops it before the de-duplication. As the stream, it forgets an event_id
     * once the watermark has passed the end of its first copy's window: a copy read after that, in a window still
     * open, counts.
     */
    public Judged read(String payload, String topic, int partition, long offset, Instant lateWatermark) {
        records++;
        EventRules.Verdict verdict = EventRules.judge(payload, priceRule);
        if (!verdict.valid()) {
            rejected.putIfAbsent(topic + "/" + partition + "/" + offset, new Rejected(topic, partition, offset, payload, verdict.reason()));
            return new Judged(Fate.REJECTED, null, false);
        }
        ValidEvent event = verdict.event();
        Map<String, ValidEvent> copies = firstCopies.computeIfAbsent(partition, p -> new HashMap<>());
        if (behind(event.eventTime(), lateWatermark)) {
            lateEvents++;
            return new Judged(Fate.LATE, event, copies.containsKey(event.eventId()));
        }
        ValidEvent first = copies.get(event.eventId());
        if (first != null && behind(windowStartOf(first.eventTime()).plusMillis(windowMillis), lateWatermark)) {
            // The stream forgets an id once the watermark has passed its first copy's window (the contract's meaning
            // of a duplicate): a copy in a window still open counts as an event of that window.
            copies.remove(event.eventId());
        }
        return new Judged(count(event, topic, partition, offset), event, false);
    }

    /** With the default windows and no late events. */
    public ReferenceAnalytics() {
        this(AnalyticsSchema.DEFAULT_WINDOW, event -> false);
    }

    /** Takes one Kafka record's value. */
    public void add(String payload, String topic, int partition, long offset) {
        records++;
        EventRules.Verdict verdict = EventRules.judge(payload, priceRule);
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
        count(event, topic, partition, offset);
    }

    /** An on-time valid event: counted, unless its event_id was counted before in its partition. */
    private Fate count(ValidEvent event, String topic, int partition, long offset) {
        ValidEvent first = firstCopies.computeIfAbsent(partition, p -> new HashMap<>()).putIfAbsent(event.eventId(), event);
        if (first != null) {
            if (sameAnalytics(first, event)) {
                duplicates++;
                return Fate.DUPLICATE;
            }
            rejected.putIfAbsent(topic + "/" + partition + "/" + offset, new Rejected(topic, partition, offset,
                    RejectedPayload.describing(event.eventId(), event.eventType(), event.productId(), event.category(), event.price(),
                            event.eventTime()).text(), RejectReason.CONFLICTING_DUPLICATE));
            return Fate.CONFLICTING_DUPLICATE;
        }
        Instant start = windowStartOf(event.eventTime());
        Instant end = start.plusMillis(windowMillis);
        categoryActivity.merge(new WindowKey(start, end, event.category()), 1L, Long::sum);
        if (event.eventType().equals(EventContract.PRODUCT_VIEW)) {
            productViews.merge(new WindowKey(start, end, event.productId()), 1L, Long::sum);
        } else if (event.eventType().equals(EventContract.PURCHASE)) {
            categoryRevenue.merge(new WindowKey(start, end, event.category()), event.price(), BigDecimal::add);
        }
        return Fate.COUNTED;
    }

    /** The start of the tumbling window holding an event time: windows start at multiples of their length since the epoch. */
    public Instant windowStartOf(Instant eventTime) {
        return Instant.ofEpochMilli(Math.floorDiv(eventTime.toEpochMilli(), windowMillis) * windowMillis);
    }

    /** Equal in what the analytics read: the type, product, category, price and time (the user is not counted). */
    private static boolean sameAnalytics(ValidEvent a, ValidEvent b) {
        return a.eventType().equals(b.eventType()) && a.productId().equals(b.productId()) && a.category().equals(b.category())
                && a.price().equals(b.price()) && a.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                .equals(b.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }
}

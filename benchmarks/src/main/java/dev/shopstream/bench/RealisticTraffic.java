package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;

/**
 * Shop traffic as production sends it (issue 30), seeded: skewed product popularity, a tenth of the events with
 * non-ASCII names, and the faults real streams have, in the shares of a {@link TrafficMix}:
 * <ul>
 *   <li>duplicates as an at-least-once producer re-sends them: the very same record (bytes and key, so the same
 *       partition) again a little later in the stream, a few hundred records on;</li>
 *   <li>late events, stamped minutes before the stream's time, some within the job's 1-minute watermark, most beyond;</li>
 *   <li>malformed records of every kind in {@link MalformedRecords}.</li>
 * </ul>
 * Event time runs at {@code eventsPerSecond} from {@code start}. It keeps the three analytics of what it generated
 * (each valid event_id once, late ones included, as the oracle counts), so any engine's totals can be checked key by key.
 */
final class RealisticTraffic implements TopicTraffic {

    private static final long WINDOW_MILLIS = AnalyticsSchema.DEFAULT_WINDOW.toMillis();

    private record Resend(long dueIndex, long order, Event event) {
    }

    private final TrafficMix mix;
    private final SplittableRandom random;
    private final BenchCatalog catalog;
    private final String[] users;
    private final long startMillis;
    /** P(a new event is re-sent later), P(a record that is not a due re-send is malformed): the mix's shares of ALL records. */
    private final double resendChance;
    private final double malformedChance;
    private final PriorityQueue<Resend> resends = new PriorityQueue<>((a, b) -> a.dueIndex != b.dueIndex
            ? Long.compare(a.dueIndex, b.dueIndex) : Long.compare(a.order, b.order));
    private final AnalyticsTotals expected = new AnalyticsTotals();

    private long index;
    private long resendOrder;
    private long duplicates;
    private long late;
    private long lateBeyondWatermark;
    private long nonAscii;
    private long events;
    private long views;
    private final Map<MalformedRecords.Kind, Long> malformed = new EnumMap<>(MalformedRecords.Kind.class);

    RealisticTraffic(TrafficMix mix, Instant start) {
        this.mix = mix;
        this.random = new SplittableRandom(mix.seed());
        this.catalog = new BenchCatalog(mix.products(), mix.popularitySkew(), mix.nonAsciiShare(), random);
        int width = Math.max(4, String.valueOf(mix.users()).length());
        this.users = new String[mix.users()];
        for (int i = 0; i < users.length; i++) {
            users[i] = String.format("user_%0" + width + "d", i + 1);
        }
        this.startMillis = start.toEpochMilli();
        double fresh = 1 - mix.duplicateShare() - mix.malformedShare();
        this.resendChance = mix.duplicateShare() / fresh;
        this.malformedChance = mix.malformedShare() / (1 - mix.duplicateShare());
    }

    /** The stream of {@code records} records at the mix's pace, ending now (as figure 2's topic always has). */
    static RealisticTraffic endingNow(TrafficMix mix, long records) {
        return new RealisticTraffic(mix, Instant.now().minusMillis((long) (records * 1000 / mix.eventsPerSecond())));
    }

    @Override
    public Event next() {
        long i = index++;
        Resend due = resends.peek();
        if (due != null && due.dueIndex <= i) {
            resends.poll();
            duplicates++;
            return due.event;
        }
        long streamMillis = startMillis + (long) (i * 1000 / mix.eventsPerSecond());
        String user = users[random.nextInt(users.length)];
        BenchCatalog.Product product = catalog.samplePopular(random);
        double action = random.nextDouble();
        String type = action < mix.purchaseShare() ? EventContract.PURCHASE
                : action < mix.purchaseShare() + mix.addToCartShare() ? EventContract.ADD_TO_CART : EventContract.PRODUCT_VIEW;
        String eventId = uuid();
        if (random.nextDouble() < malformedChance) {
            MalformedRecords.Kind kind = MalformedRecords.pick(random);
            malformed.merge(kind, 1L, Long::sum);
            return new Event(user, MalformedRecords.make(kind, random, eventId, type, user, product.id(), product.category(), product.cents(),
                    streamMillis));
        }
        long eventMillis = streamMillis;
        if (random.nextDouble() < mix.lateShare()) {
            long lateness = mix.lateMin().toMillis() + (long) (random.nextDouble() * (mix.lateMax().toMillis() - mix.lateMin().toMillis()));
            eventMillis -= lateness;
            late++;
            if (lateness > AnalyticsSchema.DEFAULT_WATERMARK_DELAY.toMillis()) {
                lateBeyondWatermark++;
            }
        }
        Event event = new Event(user, EventJson.write(eventId, type, user, product.id(), product.category(), product.cents(), eventMillis));
        count(type, product, eventMillis);
        if (random.nextDouble() < resendChance) {
            long delay = 1 + (long) (-Math.log(1 - random.nextDouble()) * mix.duplicateMeanDelay());
            resends.add(new Resend(i + delay, resendOrder++, event));
        }
        return event;
    }

    private void count(String type, BenchCatalog.Product product, long eventMillis) {
        long window = Math.floorDiv(eventMillis, WINDOW_MILLIS) * WINDOW_MILLIS;
        events++;
        if (product.international()) {
            nonAscii++;
        }
        expected.addActivity(window, product.category(), 1);
        if (type.equals(EventContract.PRODUCT_VIEW)) {
            views++;
            expected.addView(window, product.id(), 1);
        } else if (type.equals(EventContract.PURCHASE)) {
            expected.addRevenue(window, product.category(), product.cents());
        }
    }

    /** A version-4 UUID from the seeded stream, as the producer service draws them. */
    private String uuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    long records() {
        return index;
    }

    long duplicates() {
        return duplicates;
    }

    long late() {
        return late;
    }

    long lateBeyondWatermark() {
        return lateBeyondWatermark;
    }

    long nonAscii() {
        return nonAscii;
    }

    long malformed() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<MalformedRecords.Kind, Long> malformedByKind() {
        return Map.copyOf(malformed);
    }

    @Override
    public long expectedEvents() {
        return events;
    }

    @Override
    public long expectedViews() {
        return views;
    }

    @Override
    public AnalyticsTotals expectedTotals() {
        return expected;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "realistic traffic (seed %d): %,d records, %,d re-sent duplicates (%.1f%%), %,d late (%,d beyond the "
                        + "1-minute watermark), %,d malformed (%.2f%%), %,d events with non-ASCII names (%.1f%%), Zipf %.1f over %,d products",
                mix.seed(), index, duplicates, 100.0 * duplicates / index, late, lateBeyondWatermark, malformed(), 100.0 * malformed() / index,
                nonAscii, 100.0 * nonAscii / Math.max(1, events), mix.popularitySkew(), mix.products());
    }
}

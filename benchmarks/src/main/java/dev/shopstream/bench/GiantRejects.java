package dev.shopstream.bench;

import dev.shopstream.bench.totals.AnalyticsTotals;

/**
 * Realistic traffic where a share of the records are giant rejects: events in every other respect whose product_id is
 * as long as a record the broker takes (a megabyte by default) allows, far past the contract's 128 code points. The
 * job must keep them aside, capped, while it counts the rest; none of them counts in the totals.
 */
final class GiantRejects implements TopicTraffic {

    private final TopicTraffic counted;
    private final int every;
    private final int textLength;
    private long index;

    /**
     * @param counted    the traffic whose records count
     * @param every      one record in this many is a giant reject
     * @param textLength the giant product_id's length in bytes (ASCII)
     */
    GiantRejects(TopicTraffic counted, int every, int textLength) {
        this.counted = counted;
        this.every = every;
        this.textLength = textLength;
    }

    @Override
    public Event next() {
        long i = index++;
        if (i % every != every - 1) {
            return counted.next();
        }
        String json = "{\"event_id\":\"giant-" + i + "\",\"event_type\":\"product_view\",\"user_id\":\"user_" + (i % 5000)
                + "\",\"product_id\":\"" + "p".repeat(textLength) + "\",\"category\":\"toys\",\"price\":1.00,\"event_time\":\"2026-01-01T00:00:00.000Z\"}";
        return new Event("user_" + (i % 5000), json);
    }

    @Override
    public long expectedEvents() {
        return counted.expectedEvents();
    }

    @Override
    public long expectedViews() {
        return counted.expectedViews();
    }

    @Override
    public AnalyticsTotals expectedTotals() {
        return counted.expectedTotals();
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s; one record in %d replaced by a giant reject (a product_id of %,d bytes)",
                counted.describe(), every, textLength);
    }
}

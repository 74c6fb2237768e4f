package dev.shopstream.analytics.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the job must produce, computed in plain Java from the messages as sent, with no Spark in sight:
 * windows by integer arithmetic on epoch milliseconds, de-duplication by a set of event ids, money in
 * BigDecimal.
 */
public final class ExpectedAnalytics {

    public final Map<WindowKey, Long> productViews = new TreeMap<>();
    public final Map<WindowKey, Long> categoryActivity = new TreeMap<>();
    public final Map<WindowKey, BigDecimal> categoryRevenue = new TreeMap<>();
    public final Set<RejectedRow> rejected = new HashSet<>();
    /** Messages the job must drop as late: one watermark decides it once, for all three tables. */
    public long lateRows;
    public long messages;
    public long onTimeDeliveries;
    public long distinctOnTimeEvents;

    private ExpectedAnalytics() {
    }

    public static ExpectedAnalytics of(List<SentMessage> sent, String topic, Duration window) {
        ExpectedAnalytics expected = new ExpectedAnalytics();
        Set<String> counted = new HashSet<>();
        for (SentMessage message : sent) {
            expected.messages++;
            TestMessage test = message.message();
            switch (test.kind()) {
                case INVALID -> expected.rejected.add(new RejectedRow(topic, message.partition(), message.offset(),
                        test.payload(), test.expectedReason()));
                case LATE -> expected.late(test.event());
                case ON_TIME -> {
                    expected.onTimeDeliveries++;
                    if (counted.add(test.event().eventId())) {
                        expected.count(test.event(), window);
                    }
                }
                default -> throw new IllegalStateException(test.kind().toString());
            }
        }
        expected.distinctOnTimeEvents = counted.size();
        return expected;
    }

    private void late(ShopEvent event) {
        lateRows++;
    }

    private void count(ShopEvent event, Duration window) {
        long size = window.toMillis();
        long startMillis = Math.floorDiv(event.eventTime().toEpochMilli(), size) * size;
        Instant start = Instant.ofEpochMilli(startMillis);
        Instant end = start.plus(window);
        categoryActivity.merge(new WindowKey(start, end, event.category()), 1L, Long::sum);
        if (event.eventType().equals("product_view")) {
            productViews.merge(new WindowKey(start, end, event.productId()), 1L, Long::sum);
        }
        if (event.eventType().equals("purchase")) {
            categoryRevenue.merge(new WindowKey(start, end, event.category()), event.price(), BigDecimal::add);
        }
    }

    public long rejectedCount() {
        return rejected.size();
    }
}

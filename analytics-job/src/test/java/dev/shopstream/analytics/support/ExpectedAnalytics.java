package dev.shopstream.analytics.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.RejectReason;

/**
 * What the job must produce: the contract's one plain-Java oracle ({@link ReferenceAnalytics}, no Spark in
 * sight) over the messages as sent, in the shapes these tests read the tables in. Which messages are late is
 * the test's knowledge (it sent them after the watermark), so those are counted here and not given to the
 * oracle; every other message goes to the oracle with its Kafka position, and the oracle's verdict on each
 * invalid one must be the reason the test meant it to get.
 */
public final class ExpectedAnalytics {

    public final Map<WindowKey, Long> productViews;
    public final Map<WindowKey, Long> categoryActivity;
    public final Map<WindowKey, BigDecimal> categoryRevenue;
    public final Set<RejectedRow> rejected = new HashSet<>();
    /** Messages the job must drop as late: one watermark decides it once, for all three tables. */
    public long lateRows;
    public long messages;
    public long onTimeDeliveries;
    public long distinctOnTimeEvents;

    private ExpectedAnalytics(ReferenceAnalytics reference) {
        productViews = keyed(reference.productViews);
        categoryActivity = keyed(reference.categoryActivity);
        categoryRevenue = keyed(reference.categoryRevenue);
        reference.rejected.values().forEach(r -> rejected.add(new RejectedRow(r.topic(), r.partition(), r.offset(), r.rawPayload(), r.reason())));
    }

    public static ExpectedAnalytics of(List<SentMessage> sent, String topic, Duration window) {
        ReferenceAnalytics reference = new ReferenceAnalytics(window, event -> false);
        long late = 0;
        long onTime = 0;
        for (SentMessage message : sent) {
            TestMessage test = message.message();
            switch (test.kind()) {
                case LATE -> late++;
                case ON_TIME, INVALID -> {
                    onTime += test.kind() == TestMessage.Kind.ON_TIME ? 1 : 0;
                    reference.add(test.payload(), topic, message.partition(), message.offset());
                }
                default -> throw new IllegalStateException(test.kind().toString());
            }
        }
        ExpectedAnalytics expected = new ExpectedAnalytics(reference);
        expected.messages = sent.size();
        expected.lateRows = late;
        expected.onTimeDeliveries = onTime;
        expected.distinctOnTimeEvents = onTime - reference.duplicates;
        Set<RejectedRow> meant = new HashSet<>();
        sent.stream().filter(m -> m.message().kind() == TestMessage.Kind.INVALID).forEach(m -> meant.add(
                new RejectedRow(topic, m.partition(), m.offset(), m.message().payload(), m.message().expectedReason())));
        Set<RejectedRow> judged = new HashSet<>(expected.rejected);
        // Conflicting copies are valid records the de-duplication keeps aside: no message is sent as one.
        judged.removeIf(row -> row.reason().equals(RejectReason.CONFLICTING_DUPLICATE));
        if (!meant.equals(judged)) {
            throw new IllegalStateException("the contract's verdicts differ from the reasons the test stream meant: "
                    + "meant " + meant.size() + " rejects, the contract gives " + expected.rejected.size());
        }
        return expected;
    }

    public long rejectedCount() {
        return rejected.size();
    }

    private static <V> Map<WindowKey, V> keyed(Map<ReferenceAnalytics.WindowKey, V> byContractKey) {
        Map<WindowKey, V> keyed = new TreeMap<>();
        byContractKey.forEach((key, value) -> keyed.put(new WindowKey(key.windowStart(), key.windowEnd(), key.key()), value));
        return keyed;
    }
}

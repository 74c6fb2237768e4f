package dev.shopstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.shopstream.contract.ReferenceAnalytics.Fate;

/** The oracle fed record by record, each with the watermark of the batch that read it (the audit's use). */
class ReferenceAnalyticsReadTest {

    private static final String TOPIC = "user_events";
    /** The sample purchase: 12.50 of electronics at 2026-11-25T02:31:07.412Z. */
    private static final String PURCHASE = ContractSamples.all().get(0).payload();
    private static final Instant EVENT_TIME = Instant.parse("2026-11-25T02:31:07.412Z");

    private final ReferenceAnalytics oracle = ReferenceAnalytics.withPriceRule(AnalyticsSchema.DEFAULT_WINDOW, PriceInCents::price);

    @Test
    void shouldCountARecordAfterTheWatermarkAndDropOneAtIt() {
        assertThat(oracle.read(PURCHASE, TOPIC, 0, 0, EVENT_TIME.minusMillis(1)).fate()).isEqualTo(Fate.COUNTED);
        ReferenceAnalytics.Judged late = oracle.read(PURCHASE.replace("6f1c0e2a", "7f1c0e2a"), TOPIC, 1, 0, EVENT_TIME);

        assertThat(late.fate()).isEqualTo(Fate.LATE);
        assertThat(late.alreadyCounted()).isFalse();
        assertThat(oracle.categoryRevenue.values()).containsExactly(new BigDecimal("12.50"));
        assertThat(oracle.lateEvents).isEqualTo(1);
    }

    @Test
    void shouldSayALateCopyOfACountedEventInItsPartitionIsAlreadyCounted() {
        oracle.read(PURCHASE, TOPIC, 0, 0, null);
        ReferenceAnalytics.Judged samePartition = oracle.read(PURCHASE, TOPIC, 0, 5, EVENT_TIME);
        ReferenceAnalytics.Judged otherPartition = oracle.read(PURCHASE, TOPIC, 1, 5, EVENT_TIME);

        assertThat(List.of(samePartition.fate(), otherPartition.fate())).containsOnly(Fate.LATE);
        assertThat(samePartition.alreadyCounted()).isTrue();
        assertThat(otherPartition.alreadyCounted()).isFalse();
    }

    @Test
    void shouldTellDuplicatesConflictsAndRejectsApart() {
        assertThat(oracle.read(PURCHASE, TOPIC, 0, 0, null).fate()).isEqualTo(Fate.COUNTED);
        assertThat(oracle.read(PURCHASE, TOPIC, 0, 1, null).fate()).isEqualTo(Fate.DUPLICATE);
        assertThat(oracle.read(PURCHASE.replace("12.5", "13.5"), TOPIC, 0, 2, null).fate()).isEqualTo(Fate.CONFLICTING_DUPLICATE);
        assertThat(oracle.read(PURCHASE.replace("12.5", "12.505"), TOPIC, 0, 3, null).fate()).isEqualTo(Fate.REJECTED);
        assertThat(oracle.rejected).containsOnlyKeys(TOPIC + "/0/2", TOPIC + "/0/3");
    }

    @Test
    void shouldCountACopyInAnOpenWindowOnceTheWatermarkPassedItsFirstCopysWindow() {
        String later = PURCHASE.replace("2026-11-25T02:31:07.412Z", "2026-11-25T02:35:00Z");
        Instant firstWindowEnd = Instant.parse("2026-11-25T02:32:00Z");
        assertThat(oracle.read(PURCHASE, TOPIC, 0, 0, null).fate()).isEqualTo(Fate.COUNTED);

        assertThat(oracle.read(later, TOPIC, 0, 1, firstWindowEnd.minusMillis(1)).fate()).as("still remembered")
                .isEqualTo(Fate.CONFLICTING_DUPLICATE);
        assertThat(oracle.read(later, TOPIC, 0, 2, firstWindowEnd).fate()).as("forgotten").isEqualTo(Fate.COUNTED);
        assertThat(oracle.categoryRevenue.values()).containsExactly(new BigDecimal("12.50"), new BigDecimal("12.50"));
    }
}

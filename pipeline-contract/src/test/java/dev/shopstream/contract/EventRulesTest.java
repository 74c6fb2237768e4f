package dev.shopstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The plain-Java rules give every contract sample its expected verdict. */
class EventRulesTest {

    @Test
    void shouldGiveEverySampleItsExpectedVerdict() {
        assertThat(ContractSamples.all()).hasSizeGreaterThan(20).allSatisfy(sample ->
                assertThat(EventRules.judge(sample.payload()).reason()).as(sample.name()).isEqualTo(sample.expectedReason()));
    }

    @Test
    void shouldHaveASampleForEveryRejectReason() {
        assertThat(ContractSamples.all().stream().map(ContractSamples.Sample::expectedReason).filter(java.util.Objects::nonNull))
                .containsAll(RejectReason.ofRecord());
    }

    @Test
    void shouldHaveAReasonOfARecordForEachFieldAndEachCheckOfATextField() {
        assertThat(RejectReason.ofRecord()).hasSize(4 + EventContract.FIELDS.size() + 3 * EventContract.TEXT_FIELDS.size());
    }

    @Test
    void shouldHaveTheConflictingDuplicateAsTheOneReasonBesidesThoseOfARecord() {
        assertThat(RejectReason.all()).hasSize(RejectReason.ofRecord().size() + 1).contains(RejectReason.CONFLICTING_DUPLICATE);
    }

    @Test
    void shouldReadValidEventWithExactPriceAndInstant() {
        ValidEvent event = EventRules.judge(ContractSamples.all().get(0).payload()).event();

        assertThat(event.price()).isEqualTo(new BigDecimal("12.50"));
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2026-11-25T02:31:07.412Z"));
    }

    @Test
    void shouldRefuseAPriceTextWithAFractionOfACentHoweverSmall() {
        assertThat(EventRules.price("5.0000000000000000001")).isNull();
    }

    @Test
    void shouldReadAPriceTextWithTrailingZerosAsItsCents() {
        assertThat(EventRules.price("5.0100000000000000000")).isEqualTo(new BigDecimal("5.01"));
    }

    @Test
    void shouldReadAPriceTextWithAnExponentAsItsCents() {
        assertThat(EventRules.price("1.005E2")).isEqualTo(new BigDecimal("100.50"));
    }

    @Test
    void shouldHaveNoPriceWithoutAPriceText() {
        assertThat(EventRules.price(null)).isNull();
    }

    @Test
    void shouldJudgeAJsonNumberPriceBeyondADoublesRangeAsInvalid() {
        String sample = ContractSamples.all().get(0).payload();
        String overflowing = sample.replaceFirst("\"price\":[^,}]+", "\"price\":1e400");

        assertThat(overflowing).contains("1e400");
        assertThat(EventRules.judge(overflowing).reason()).isEqualTo(RejectReason.INVALID_PRICE);
    }

    @Test
    void shouldRejectPriceWithAHugeNegativeExponentWithoutComputingItsPowerOfTen() {
        // Rounding 1e-999999999 to cents would compute 10^999999997 and never return.
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> EventRules.price("1e-999999999"))).isNull();
    }

    @Test
    void shouldCountARedeliveryInTheSamePartitionOnce() {
        ReferenceAnalytics reference = aRedeliveryAndAReject();

        assertThat(reference.categoryRevenue.values()).containsExactly(new BigDecimal("12.50"));
        assertThat(reference.categoryActivity.values()).containsExactly(1L);
        assertThat(reference.duplicates).isEqualTo(1);
    }

    @Test
    void shouldKeepRejectsByTheirPosition() {
        ReferenceAnalytics reference = aRedeliveryAndAReject();

        assertThat(reference.rejected).containsOnlyKeys(EventContract.TOPIC + "/0/2");
    }

    /** A purchase at offsets 1 and 7 of partition 0, and a record that is not JSON at offset 2 between them. */
    private static ReferenceAnalytics aRedeliveryAndAReject() {
        ReferenceAnalytics reference = new ReferenceAnalytics();
        String purchase = ContractSamples.all().get(0).payload();
        reference.add(purchase, EventContract.TOPIC, 0, 1);
        reference.add(purchase, EventContract.TOPIC, 0, 7);
        reference.add("{oops", EventContract.TOPIC, 0, 2);
        return reference;
    }

    @Test
    void shouldCountACopyInAnotherPartitionAgain() {
        ReferenceAnalytics reference = new ReferenceAnalytics();
        String purchase = ContractSamples.all().get(0).payload();
        reference.add(purchase, EventContract.TOPIC, 0, 1);
        reference.add(purchase, EventContract.TOPIC, 1, 7);

        assertThat(reference.categoryRevenue.values()).containsExactly(new BigDecimal("25.00"));
        assertThat(reference.duplicates).isZero();
    }

    @Test
    void shouldKeepALaterCopyThatDiffersAsideAsAConflictingDuplicate() {
        ReferenceAnalytics reference = new ReferenceAnalytics();
        String purchase = ContractSamples.all().get(0).payload();
        reference.add(purchase, EventContract.TOPIC, 0, 1);
        reference.add(purchase.replace("\"price\":12.5", "\"price\":99.99"), EventContract.TOPIC, 0, 2);

        assertThat(reference.categoryRevenue.values()).containsExactly(new BigDecimal("12.50"));
        assertThat(reference.rejected).containsOnlyKeys(EventContract.TOPIC + "/0/2");
        assertThat(reference.rejected.get(EventContract.TOPIC + "/0/2").reason()).isEqualTo(RejectReason.CONFLICTING_DUPLICATE);
    }
}

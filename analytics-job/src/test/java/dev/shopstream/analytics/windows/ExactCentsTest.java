package dev.shopstream.analytics.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/** The stream's revenue sum: exact past what a long can count in cents. */
class ExactCentsTest {

    @Test
    void shouldSumCentsExactly() {
        ExactCents sum = new ExactCents(0, 0);
        sum.add(10);
        sum.add(20);

        assertThat(sum.toDecimal()).isEqualTo(new BigDecimal("0.30"));
    }

    @Test
    void shouldCarryPastTheLargestLong() {
        ExactCents sum = new ExactCents(0, Long.MAX_VALUE);
        sum.add(Long.MAX_VALUE);
        sum.add(Long.MAX_VALUE);
        sum.add(5);

        assertThat(sum.toDecimal()).isEqualTo(BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.valueOf(3)).add(BigDecimal.valueOf(5))
                .movePointLeft(2));
        assertThat(sum.high()).isEqualTo(1);
    }

    @Test
    void shouldResumeFromItsTwoLongs() {
        ExactCents before = new ExactCents(0, -1L); // 2^64 - 1 cents, as stored
        ExactCents after = new ExactCents(before.high(), before.low());
        after.add(1);

        assertThat(after.toDecimal()).isEqualTo(new BigDecimal("18446744073709551616").movePointLeft(2));
    }
}

package dev.shopstream.analytics.windows;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A running sum of cents in 128 bits (two longs), so that no stream can overflow it: at most 2^63 - 1 purchases
 * of at most 99,999,999 cents each is below 2^90. Added to once per event, so it is two long additions rather
 * than a BigDecimal each time.
 */
final class ExactCents {

    private long high;
    private long low;

    ExactCents(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /** @param cents a non-negative amount */
    void add(long cents) {
        long sum = low + cents;
        if (Long.compareUnsigned(sum, low) < 0) {
            high++;
        }
        low = sum;
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }

    /** The sum in currency units, two decimal places. */
    BigDecimal toDecimal() {
        BigInteger cents = BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
        return new BigDecimal(cents, 2);
    }
}

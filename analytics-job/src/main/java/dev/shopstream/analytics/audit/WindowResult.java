package dev.shopstream.analytics.audit;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One audited window of one table: its value summed over the window's keys in the table (stream), in the batch
 * recompute from Kafka (batch), the part of the batch value carried by late events not folded in (late), and
 * the rest no late event explains: {@code stream - (batch - late)}, summed over the keys. The window is exact
 * when no key has a rest ({@code mismatchedKeys == 0}).
 */
public record WindowResult(Instant windowStart, Instant windowEnd, String table, BigDecimal stream, BigDecimal batch,
        BigDecimal late, long lateEvents, BigDecimal unexplained, int mismatchedKeys, String firstMismatch) {

    public boolean exact() {
        return mismatchedKeys == 0;
    }
}

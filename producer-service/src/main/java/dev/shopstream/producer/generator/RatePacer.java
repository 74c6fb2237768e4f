package dev.shopstream.producer.generator;

/**
 * Decides how many events are due at a given instant for a rate in events per second. It counts from the
 * moment the rate was set, so rounding never accumulates: after t seconds exactly floor(rate * t) events
 * have been due. After a stall (GC, a busy machine) it catches up by at most {@code maxBurstSeconds} of
 * traffic rather than flooding the broker. A pure clock-driven object: tests drive it with made-up nanos.
 */
final class RatePacer {

    private final double maxBurstSeconds;
    private double rate;
    private long epochNanos;
    private long issuedSinceEpoch;

    RatePacer(double rate, long nowNanos, double maxBurstSeconds) {
        this.maxBurstSeconds = maxBurstSeconds;
        setRate(rate, nowNanos);
    }

    void setRate(double eventsPerSecond, long nowNanos) {
        this.rate = eventsPerSecond;
        this.epochNanos = nowNanos;
        this.issuedSinceEpoch = 0;
    }

    double rate() {
        return rate;
    }

    /** Events due now; the caller issues exactly that many (sent or dropped) before asking again. */
    long takeDue(long nowNanos) {
        if (rate <= 0) {
            return 0;
        }
        long target = (long) Math.floor(rate * ((nowNanos - epochNanos) / 1e9));
        long due = target - issuedSinceEpoch;
        long maxBurst = Math.max(1, (long) Math.ceil(rate * maxBurstSeconds));
        if (due > maxBurst) { // fell behind: skip the backlog, keep the pace from here
            epochNanos = nowNanos;
            issuedSinceEpoch = 0;
            return maxBurst;
        }
        issuedSinceEpoch += Math.max(due, 0);
        return Math.max(due, 0);
    }

    /** Nanos until the next event is due (a large value when paused). */
    long nanosUntilNext(long nowNanos) {
        if (rate <= 0) {
            return Long.MAX_VALUE;
        }
        long nextAt = epochNanos + (long) Math.ceil((issuedSinceEpoch + 1) / rate * 1e9);
        return Math.max(0, nextAt - nowNanos);
    }
}

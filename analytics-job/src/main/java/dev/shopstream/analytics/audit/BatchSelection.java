package dev.shopstream.analytics.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.shopstream.analytics.audit.BatchRanges.Batch;

/**
 * Which batches an audit run reads, and which windows it can then check: pure functions of the batches' recorded
 * watermarks. A record read by batch B is on time when its event time is after B's late watermark (the previous
 * batch's); and it is at most the newest event time seen through B, which is the next batch's watermark plus the
 * watermark delay. So batch B can hold an on-time record of window [s, e) only if
 * {@code lateWatermark(B) < e} and {@code s <= watermark(B+1) + delay} (no bound for the newest batch).
 */
final class BatchSelection {

    private BatchSelection() {
    }

    /**
     * Whether {@code batch} (followed by {@code next}, null for the newest) can hold an on-time record of [start, end).
     * A next batch without a watermark means no event time had been seen through {@code batch}: it held no event.
     */
    static boolean canHoldOnTime(Batch batch, Batch next, Instant start, Instant end, Duration delay) {
        boolean afterLower = batch.lateWatermark() == null || batch.lateWatermark().isBefore(end);
        boolean beforeUpper = next == null || next.watermark() != null && !start.isAfter(next.watermark().plus(delay));
        return afterLower && beforeUpper;
    }

    /** The first of {@code batches} (consecutive, oldest first) that can hold an on-time record of [start, end); empty: none can. */
    static Optional<Batch> firstBatchFor(List<Batch> batches, Instant start, Instant end, Duration delay) {
        for (int i = 0; i < batches.size(); i++) {
            Batch next = i + 1 < batches.size() ? batches.get(i + 1) : null;
            if (canHoldOnTime(batches.get(i), next, start, end, delay)) {
                return Optional.of(batches.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * The first batch a run reads: the one after the cursor (the newest batch read so far; null: none yet), or
     * the first batch that can hold an on-time record of the earliest window the run must check, whichever comes
     * first, and never before the first of {@code batches} (the retained ones). Empty: nothing to read.
     */
    static Optional<Long> readFrom(List<Batch> batches, Long cursor, Instant earliestWindowStart, Duration window, Duration delay) {
        if (batches.isEmpty()) {
            return Optional.empty();
        }
        long first = batches.get(0).batchId();
        long newest = batches.get(batches.size() - 1).batchId();
        long from = cursor == null ? first : cursor + 1;
        if (earliestWindowStart != null) {
            long needed = firstBatchFor(batches, earliestWindowStart, earliestWindowStart.plus(window), delay)
                    .map(Batch::batchId).orElse(newest + 1);
            from = Math.min(from, needed);
        }
        from = Math.max(from, first);
        return from > newest ? Optional.empty() : Optional.of(from);
    }

    /**
     * The last batch a pass reading from {@code from} reads: the first one with which it has read at least
     * {@code maxRecords} records, but never before the batch after the cursor (each pass reads at least one batch no
     * pass read, so a run of passes ends) nor at a batch without a watermark (its windows could not close); the
     * newest batch when the records run out first. Bounds what one pass holds in memory.
     */
    static long readTo(List<Batch> batches, long from, Long cursor, long maxRecords) {
        long mustReach = cursor == null ? from : Math.max(from, cursor + 1);
        long records = 0;
        long to = from;
        for (Batch batch : batches) {
            if (batch.batchId() < from) {
                continue;
            }
            records += BatchRanges.records(batch);
            to = batch.batchId();
            if (to >= mustReach && batch.watermark() != null && records >= maxRecords) {
                break;
            }
        }
        return to;
    }

    /**
     * The windows a run reading from batch {@code from} holds all on-time records of: those starting after the
     * newest event time seen before it ({@code watermark(from) + delay}); every window when it reads from the
     * query's first batch, or from a batch before which no event had been seen (no watermark).
     */
    static Instant checkableAfter(Batch from, Duration delay) {
        return from.batchId() == 0 || from.watermark() == null ? LONG_AGO : from.watermark().plus(delay);
    }

    /** Before any event time the contract allows (the epoch). */
    static final Instant LONG_AGO = Instant.EPOCH.minus(Duration.ofDays(1));
}

package dev.shopstream.analytics.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One audit run: every closed window it checked (those ending at or before {@code closedUntil}, the newest batch's
 * watermark; null when nothing is closed yet), per table, in window order, the late records it found, and what it
 * read ({@code firstBatch..lastBatch}, null when it read nothing).
 */
public record AuditReport(Instant closedUntil, List<WindowResult> windows, long lateRecords, long windowsFolded,
        Long firstBatch, Long lastBatch, long recordsRead) {

    /** A run that read nothing and checked nothing. */
    static AuditReport nothingRead(Instant closedUntil) {
        return new AuditReport(closedUntil, List.of(), 0, 0, null, null, 0);
    }

    /** This pass and the next one of the same run, as one report. */
    AuditReport followedBy(AuditReport next) {
        List<WindowResult> all = new java.util.ArrayList<>(windows);
        all.addAll(next.windows);
        Long first = firstBatch == null ? next.firstBatch : next.firstBatch == null ? firstBatch : Long.valueOf(Math.min(firstBatch, next.firstBatch));
        Long last = lastBatch == null ? next.lastBatch : next.lastBatch == null ? lastBatch : Long.valueOf(Math.max(lastBatch, next.lastBatch));
        return new AuditReport(next.closedUntil == null ? closedUntil : next.closedUntil, all, lateRecords + next.lateRecords,
                windowsFolded + next.windowsFolded, first, last, recordsRead + next.recordsRead);
    }

    public long windowsAudited() {
        return windows.stream().map(WindowResult::windowStart).distinct().count();
    }

    /** The windows with at least one table that does not match. */
    public long windowsMismatched() {
        return windows.stream().filter(w -> !w.exact()).map(WindowResult::windowStart).distinct().count();
    }

    public long batchesRead() {
        return firstBatch == null ? 0 : lastBatch - firstBatch + 1;
    }

    public Optional<WindowResult> firstMismatch() {
        return windows.stream().filter(w -> !w.exact()).findFirst();
    }

    /** The line the job logs and {@code --audit} prints. */
    public String summary() {
        return firstMismatch().map(w -> "audit: MISMATCH in " + w.table() + " window " + w.windowStart() + ": unexplained "
                        + w.unexplained().toPlainString() + " (" + w.mismatchedKeys() + " keys, first " + w.firstMismatch() + ")")
                .orElse("audited: " + windowsAudited() + " windows exact") + "; late records " + lateRecords
                + (windowsFolded > 0 ? "; folded " + windowsFolded + " windows" : "")
                + (firstBatch == null ? "; read nothing new" : "; read batches " + firstBatch + "-" + lastBatch + " (" + recordsRead + " records)");
    }
}

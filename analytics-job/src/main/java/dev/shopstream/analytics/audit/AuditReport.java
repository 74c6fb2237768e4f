package dev.shopstream.analytics.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One audit: every closed window it could check (those ending at or before {@code closedUntil}, the newest batch's
 * watermark; null when nothing is closed yet), per table, in window order, and the late records it found.
 */
public record AuditReport(Instant closedUntil, List<WindowResult> windows, long lateRecords, long windowsFolded) {

    public long windowsAudited() {
        return windows.stream().map(WindowResult::windowStart).distinct().count();
    }

    public Optional<WindowResult> firstMismatch() {
        return windows.stream().filter(w -> !w.exact()).findFirst();
    }

    /** The line the job logs and {@code --audit} prints. */
    public String summary() {
        return firstMismatch().map(w -> "audit: MISMATCH in " + w.table() + " window " + w.windowStart() + ": unexplained "
                        + w.unexplained().toPlainString() + " (" + w.mismatchedKeys() + " keys, first " + w.firstMismatch() + ")")
                .orElse("audited: " + windowsAudited() + " windows exact") + "; late records " + lateRecords
                + (windowsFolded > 0 ? "; folded " + windowsFolded + " windows" : "");
    }
}

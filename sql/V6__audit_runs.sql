-- V6: the incremental audit (issue 31). One row per audit run: when it started and how long it took, the batches
-- it read (first_batch..last_batch, null when it read none) and their records, the windows it checked and how many
-- of them did not match, the late records it found, the watermark that closed its windows, the windows it folded.
-- The newest last_batch is the audit's cursor: every batch is read by at least one run, so that its late records
-- reach late_events; closed_until tells the next run which windows closed since. Safe to run again, like V1-V5.
CREATE TABLE IF NOT EXISTS audit_run (
    run_id          bigserial   PRIMARY KEY,
    started_at      timestamptz NOT NULL,
    duration_ms     bigint      NOT NULL,
    first_batch     bigint,
    last_batch      bigint,
    batches_read    bigint      NOT NULL,
    records_read    bigint      NOT NULL,
    windows_checked integer     NOT NULL,
    mismatches      integer     NOT NULL,
    late_records    bigint      NOT NULL,
    windows_folded  bigint      NOT NULL,
    closed_until    timestamptz
);
CREATE INDEX IF NOT EXISTS audit_run_started_idx ON audit_run (started_at);

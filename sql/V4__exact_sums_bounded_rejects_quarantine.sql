-- V4: nothing written to the topic can stop the job (issue 28). Safe to run again, like V1-V3.

-- Sums exact at any magnitude a valid stream reaches. A window's revenue is at most (2^63 - 1) purchases, the most a
-- bigint count can say, times the contract's highest price, 999999.99: below 9.3 * 10^24, 25 integer digits. So
-- numeric(38, 2), 36 integer digits, provably holds it; 38 is also the widest decimal Spark computes, which the job
-- sums in. numeric(14, 2) overflowed after about a million purchases at the highest price in one window and category:
-- the batch's INSERT failed, and every replay of it failed the same way.
ALTER TABLE window_totals ALTER COLUMN total_revenue TYPE numeric(38, 2);
ALTER TABLE category_revenue_window ALTER COLUMN total_revenue TYPE numeric(38, 2);
-- The audit's figures are sums over a window's keys: the same bound holds for them.
ALTER TABLE audit_window ALTER COLUMN stream_value TYPE numeric(38, 2);
ALTER TABLE audit_window ALTER COLUMN batch_value TYPE numeric(38, 2);
ALTER TABLE audit_window ALTER COLUMN late_value TYPE numeric(38, 2);
ALTER TABLE audit_window ALTER COLUMN unexplained TYPE numeric(38, 2);

-- A rejected record keeps at most the first REJECTED_PAYLOAD_MAX_BYTES bytes of its value (4 KiB by default) in
-- raw_payload, with the value's whole length and SHA-256: with its partition and offset, enough to find and check
-- the original in Kafka. Rows written before keep their whole text; their length and digest are those of it.
-- The job always writes both; another writer may leave them null (not recorded).
ALTER TABLE rejected_events ADD COLUMN IF NOT EXISTS payload_bytes bigint;
ALTER TABLE rejected_events ADD COLUMN IF NOT EXISTS payload_sha256 text;
UPDATE rejected_events SET payload_bytes = octet_length(raw_payload),
                           payload_sha256 = encode(sha256(convert_to(raw_payload, 'UTF8')), 'hex')
 WHERE payload_bytes IS NULL AND raw_payload IS NOT NULL;
CREATE INDEX IF NOT EXISTS rejected_events_seen_idx ON rejected_events (seen_at);

-- Rows of a batch the database refused for what they hold (a value a column or a constraint refuses): kept here
-- with the error instead of failing the batch, whose replay would be refused the same way forever. The rest of the
-- batch commits with them, in one transaction. row_key and row_values are ASCII (JSON escapes), so that even a row
-- refused for its characters can be kept.
CREATE TABLE IF NOT EXISTS quarantined_rows (
    query_name     text        NOT NULL,
    batch_id       bigint      NOT NULL,
    table_name     text        NOT NULL,
    row_key        text        NOT NULL,
    window_start   timestamptz,
    row_values     text        NOT NULL,
    error_state    text,
    error          text        NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (query_name, batch_id, table_name, row_key)
);
CREATE INDEX IF NOT EXISTS quarantined_rows_time_idx ON quarantined_rows (quarantined_at);

ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS quarantined_rows bigint NOT NULL DEFAULT 0;

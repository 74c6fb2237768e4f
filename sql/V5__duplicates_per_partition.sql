-- V5: one meaning of a duplicate (issue 31): an event_id counts once per Kafka partition, the copy at the lowest
-- offset. A later copy equal to the first is a re-delivery, dropped and counted here per batch; one that differs is
-- a conflicting duplicate, kept in rejected_events (reason conflicting_duplicate) and counted in rejected_rows.
-- Safe to run again, like V1-V4.
ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS duplicate_rows bigint NOT NULL DEFAULT 0;

-- V7: the stream keeps one stateful operator, its de-duplication (issue 30). Each batch writes its own sums of
-- (window, product, category) into window_totals, added to what earlier batches of the same checkpoint wrote.
-- lineage names the checkpoint that wrote a row (a name the job gives each new checkpoint): a batch adds to the
-- rows of its own lineage and replaces any other row, so a job started on a new checkpoint recomputes what it
-- reads and never adds to the old counts; the audit's fold of late events writes rows without lineage. In
-- stream_progress, lineage with batch_id tells a batch Spark replays after a crash (already written: skipped)
-- from a new checkpoint's batch of the same number. Safe to run again, like V1-V6.
ALTER TABLE window_totals ADD COLUMN IF NOT EXISTS lineage text;
ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS lineage text;

-- A node's snapshot start is an interval witnessed on the hypervisor, not an instant read from a tool's output;
-- the pair's skew carries its precision and what witnessed it.
ALTER TABLE node_backup RENAME COLUMN snapshot_started_at TO snapshot_not_before;
ALTER TABLE node_backup ADD COLUMN snapshot_not_after TIMESTAMPTZ;
ALTER TABLE node_backup ADD COLUMN snapshot_witness TEXT;
ALTER TABLE backup_run ADD COLUMN skew_precision_millis BIGINT;
ALTER TABLE backup_run ADD COLUMN skew_source TEXT;

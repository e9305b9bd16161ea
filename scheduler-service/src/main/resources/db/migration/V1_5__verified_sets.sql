-- The verify job's last check of a stored set on the hypervisor.
ALTER TABLE backup_run ADD COLUMN verified_at TIMESTAMPTZ;
ALTER TABLE backup_run ADD COLUMN restorable BOOLEAN;
ALTER TABLE backup_run ADD COLUMN verification TEXT;
CREATE INDEX backup_run_verification_due ON backup_run (verified_at NULLS FIRST) WHERE state = 'SUCCEEDED';

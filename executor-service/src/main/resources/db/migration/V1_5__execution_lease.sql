-- Leases: the instance working on a RUNNING execution renews lease_expires_at on a heartbeat; once it has passed, any
-- replica may take the execution over and answer it as a restart would. Null for an execution nobody holds.
ALTER TABLE execution ADD COLUMN lease_expires_at TIMESTAMPTZ;
-- Executions left RUNNING before leases existed: an older replica may still be working on one, so each becomes
-- reclaimable only once it has run as long as the default backup timeout (2 h) allows.
UPDATE execution SET lease_expires_at = COALESCE(started_at, accepted_at) + INTERVAL '2 hours' WHERE state = 'RUNNING';
CREATE INDEX execution_lease ON execution (state, lease_expires_at);

-- Deadlines: by when the scheduler stops waiting for an answer (moonshot.scheduler.deadline.*). Stored when set, so a
-- changed setting moves no existing deadline; each partial index holds exactly the rows the expiry job scans, with the
-- states written as literals, as its queries write them.
ALTER TABLE backup_run ADD COLUMN deadline_at TIMESTAMPTZ;
ALTER TABLE restore_step ADD COLUMN deadline_at TIMESTAMPTZ;
ALTER TABLE maintenance_ticket ADD COLUMN deadline_at TIMESTAMPTZ;

-- What already waits gets the default deadlines, counted from when its wait began (else it would wait forever).
UPDATE backup_run SET deadline_at = requested_at + INTERVAL '10 minutes' WHERE state = 'QUEUED';
UPDATE backup_run SET deadline_at = COALESCE(started_at, requested_at) + INTERVAL '3 hours' WHERE state = 'RUNNING';
UPDATE restore_step SET deadline_at = COALESCE(sent_at, now()) + INTERVAL '3 hours' WHERE state = 'SENT';
UPDATE maintenance_ticket SET deadline_at = received_at + INTERVAL '4 hours'
    WHERE state IN ('BACKING_UP', 'POWERING_OFF');
UPDATE maintenance_ticket SET deadline_at = updated_at + INTERVAL '4 hours' WHERE state = 'POWERING_ON';

CREATE INDEX backup_run_deadline ON backup_run (deadline_at) WHERE state IN ('QUEUED', 'RUNNING');
CREATE INDEX restore_step_deadline ON restore_step (deadline_at) WHERE state = 'SENT';
CREATE INDEX maintenance_ticket_deadline ON maintenance_ticket (deadline_at)
    WHERE state IN ('BACKING_UP', 'POWERING_OFF', 'POWERING_ON');

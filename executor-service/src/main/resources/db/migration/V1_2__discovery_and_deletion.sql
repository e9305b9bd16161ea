-- Discovery (DiscoverVms) and deletion (DeleteArtifacts) executions keep the command they came from; kind tells
-- the worker which one it is (BACKUP, DISCOVERY, DELETE). Backups keep theirs in execution_node and leave it null.
ALTER TABLE execution ADD COLUMN payload JSONB;

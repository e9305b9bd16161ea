-- Dedupe by the CloudEvents identity (source + id), not the id alone: two producers may pick the same id.
-- Shared migrations carry 1.0.x versions, below every service's own; services run Flyway with out-of-order on, so
-- a database migrated before this file existed takes it too.
ALTER TABLE processed_message ADD COLUMN source VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE processed_message ALTER COLUMN source DROP DEFAULT;
ALTER TABLE processed_message DROP CONSTRAINT processed_message_pkey;
ALTER TABLE processed_message ADD PRIMARY KEY (consumer, source, message_id);
CREATE INDEX processed_message_processed_at ON processed_message (processed_at);

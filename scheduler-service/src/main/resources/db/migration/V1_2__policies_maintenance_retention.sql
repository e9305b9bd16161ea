CREATE TABLE backup_policy (
    id              UUID PRIMARY KEY,
    management_host VARCHAR(63)  NOT NULL,
    name            VARCHAR(63)  NOT NULL,
    scope           VARCHAR(10)  NOT NULL,
    cron            VARCHAR(120) NOT NULL,
    enabled         BOOLEAN      NOT NULL,
    keep_last       INTEGER      NOT NULL,
    keep_daily      INTEGER      NOT NULL,
    keep_weekly     INTEGER      NOT NULL,
    keep_monthly    INTEGER      NOT NULL,
    -- the last cron slot this policy fired for; a replica claims a slot by moving it forward
    last_slot       TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    version         BIGINT       NOT NULL,
    UNIQUE (management_host, name)
);

ALTER TABLE backup_run ADD COLUMN policy_id UUID REFERENCES backup_policy (id) ON DELETE SET NULL;
ALTER TABLE backup_run ADD COLUMN ticket VARCHAR(120);
ALTER TABLE backup_run ADD COLUMN protected_baseline BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE backup_run ADD COLUMN consistent BOOLEAN;
ALTER TABLE backup_run ADD COLUMN retention_state VARCHAR(20) NOT NULL DEFAULT 'KEPT';
ALTER TABLE backup_run ADD COLUMN retention_request UUID;
ALTER TABLE backup_run ADD COLUMN retention_note TEXT;
ALTER TABLE node_backup ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE node_backup ADD COLUMN macs JSONB;
ALTER TABLE node_backup ADD COLUMN vm_config TEXT;
CREATE INDEX backup_run_policy ON backup_run (policy_id, state);

CREATE TABLE maintenance_ticket (
    id              UUID PRIMARY KEY,
    management_host VARCHAR(63)  NOT NULL,
    ticket          VARCHAR(120) NOT NULL,
    kind            VARCHAR(20)  NOT NULL,
    power_off       BOOLEAN      NOT NULL,
    requested_by    VARCHAR(255),
    state           VARCHAR(20)  NOT NULL,
    backup_run_id   UUID,
    reason          TEXT,
    received_at     TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    version         BIGINT       NOT NULL,
    UNIQUE (management_host, ticket)
);

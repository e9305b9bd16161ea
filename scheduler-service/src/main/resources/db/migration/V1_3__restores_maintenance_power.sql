-- Restore sagas: one versioned state row per restore and its ordered steps.
CREATE TABLE restore (
    id                 UUID PRIMARY KEY,
    management_host    VARCHAR(63)  NOT NULL,
    failed_nodes       JSONB        NOT NULL,
    restored_nodes     JSONB        NOT NULL,
    include_hypervisor BOOLEAN      NOT NULL,
    requested_by       VARCHAR(255),
    state              VARCHAR(20)  NOT NULL,
    failed_step        INTEGER,
    reason             TEXT,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    finished_at        TIMESTAMPTZ,
    version            BIGINT       NOT NULL
);
-- One open restore per host, whatever the application checks: a failed one holds the host until retried or abandoned.
CREATE UNIQUE INDEX restore_one_open_per_host ON restore (management_host)
    WHERE state NOT IN ('SUCCEEDED', 'ABANDONED');
CREATE INDEX restore_created ON restore (created_at DESC);

CREATE TABLE restore_step (
    id             UUID PRIMARY KEY,
    restore_id     UUID         NOT NULL REFERENCES restore (id) ON DELETE CASCADE,
    step_number    INTEGER      NOT NULL,
    kind           VARCHAR(20)  NOT NULL,
    description    TEXT         NOT NULL,
    role           VARCHAR(20),
    vm_name        VARCHAR(80),
    backup_run_id  UUID,
    artifact_path  VARCHAR(2048),
    taken_at       TIMESTAMPTZ,
    vzdump_vmid    INTEGER,
    expected_macs  JSONB,
    state          VARCHAR(20)  NOT NULL,
    -- the command sent for the step (a power step's sequence id); answers are matched by it
    command_id     UUID UNIQUE,
    attempts       INTEGER      NOT NULL,
    sent_at        TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    reason         TEXT,
    restored_vm_id VARCHAR(80),
    restored_macs  JSONB,
    UNIQUE (restore_id, step_number)
);

-- Maintenance with powerOff: the power sequences a ticket sent; power-service's answers are matched by them.
ALTER TABLE maintenance_ticket ADD COLUMN power_off_sequence_id UUID UNIQUE;
ALTER TABLE maintenance_ticket ADD COLUMN power_on_sequence_id UUID UNIQUE;

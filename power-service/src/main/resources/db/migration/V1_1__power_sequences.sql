-- power-service's copy of inventory (event-carried state from inventory.events).
CREATE TABLE known_host (
    name        VARCHAR(63) PRIMARY KEY,
    host_id     UUID        NOT NULL,
    hypervisor  VARCHAR(63) NOT NULL,
    nodes       JSONB       NOT NULL,
    removed     BOOLEAN     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- The latest moonshot.node.status per host and VM, with when it was received.
CREATE TABLE node_status (
    management_host VARCHAR(63)  NOT NULL,
    vm_name         VARCHAR(80)  NOT NULL,
    state           VARCHAR(80)  NOT NULL,
    event_id        VARCHAR(255) NOT NULL,
    event_time      TIMESTAMPTZ,
    received_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (management_host, vm_name)
);

-- A power sequence: one versioned state row ...
CREATE TABLE power_sequence (
    id                 UUID PRIMARY KEY,
    management_host    VARCHAR(63)  NOT NULL,
    direction          VARCHAR(3)   NOT NULL,
    include_hypervisor BOOLEAN      NOT NULL,
    state              VARCHAR(20)  NOT NULL,
    requested_by       VARCHAR(255),
    requested_at       TIMESTAMPTZ  NOT NULL,
    started_at         TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ,
    failed_step        VARCHAR(20),
    reason             TEXT,
    version            BIGINT       NOT NULL
);
CREATE INDEX power_sequence_host_state ON power_sequence (management_host, state, requested_at);
-- One running sequence per management host, whatever the code above it does.
CREATE UNIQUE INDEX power_sequence_one_running_per_host ON power_sequence (management_host) WHERE state = 'RUNNING';

-- ... and its declared, ordered steps.
CREATE TABLE power_sequence_step (
    id              UUID PRIMARY KEY,
    sequence_id     UUID         NOT NULL REFERENCES power_sequence (id) ON DELETE CASCADE,
    position        INTEGER      NOT NULL,
    target          VARCHAR(20)  NOT NULL,
    kind            VARCHAR(40)  NOT NULL,
    vm_name         VARCHAR(80)  NOT NULL,
    readiness_probe VARCHAR(2048),
    state           VARCHAR(30)  NOT NULL,
    action          VARCHAR(20),
    command_id      UUID,
    started_at      TIMESTAMPTZ,
    commanded_at    TIMESTAMPTZ,
    observed_at     TIMESTAMPTZ,
    confirmed_at    TIMESTAMPTZ,
    deadline        TIMESTAMPTZ,
    check_id        UUID,
    check_sent_at   TIMESTAMPTZ,
    next_check_at   TIMESTAMPTZ,
    checks          INTEGER      NOT NULL DEFAULT 0,
    message         TEXT,
    UNIQUE (sequence_id, position)
);
CREATE INDEX power_sequence_step_due ON power_sequence_step (state, deadline, next_check_at);

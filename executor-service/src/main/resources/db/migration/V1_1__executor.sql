-- The executor's copy of inventory: how to reach each management host's hypervisor.
CREATE TABLE known_host (
    name        VARCHAR(63) PRIMARY KEY,
    hypervisor  JSONB       NOT NULL,
    nodes       JSONB       NOT NULL,
    removed     BOOLEAN     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE execution (
    id              UUID PRIMARY KEY,
    kind            VARCHAR(20) NOT NULL,
    management_host VARCHAR(63) NOT NULL,
    scope           VARCHAR(10),
    state           VARCHAR(20) NOT NULL,
    owner           VARCHAR(255),
    accepted_at     TIMESTAMPTZ NOT NULL,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    note            TEXT,
    version         BIGINT      NOT NULL
);
CREATE INDEX execution_state ON execution (state, accepted_at);

CREATE TABLE execution_node (
    id            UUID PRIMARY KEY,
    execution_id  UUID        NOT NULL REFERENCES execution (id) ON DELETE CASCADE,
    role          VARCHAR(20) NOT NULL,
    vm_name       VARCHAR(80) NOT NULL,
    vzdump_vmid   INTEGER,
    state         VARCHAR(20) NOT NULL,
    command       TEXT,
    dispatched_at TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    message       TEXT,
    UNIQUE (execution_id, role)
);

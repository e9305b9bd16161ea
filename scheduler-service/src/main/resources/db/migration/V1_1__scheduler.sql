-- The scheduler's copy of inventory (event-carried state from inventory.events).
CREATE TABLE known_host (
    name        VARCHAR(63) PRIMARY KEY,
    host_id     UUID        NOT NULL,
    hypervisor  VARCHAR(63) NOT NULL,
    dialect     VARCHAR(40) NOT NULL,
    nodes       JSONB       NOT NULL,
    removed     BOOLEAN     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE backup_run (
    id              UUID PRIMARY KEY,
    management_host VARCHAR(63)  NOT NULL,
    scope           VARCHAR(10)  NOT NULL,
    state           VARCHAR(20)  NOT NULL,
    trigger_kind    VARCHAR(20)  NOT NULL,
    reason          VARCHAR(500),
    requested_at    TIMESTAMPTZ  NOT NULL,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    skew_millis     BIGINT,
    version         BIGINT       NOT NULL
);
CREATE INDEX backup_run_host_state ON backup_run (management_host, state);
CREATE INDEX backup_run_requested ON backup_run (requested_at DESC);

CREATE TABLE node_backup (
    id                  UUID PRIMARY KEY,
    run_id              UUID         NOT NULL REFERENCES backup_run (id) ON DELETE CASCADE,
    role                VARCHAR(20)  NOT NULL,
    vm_name             VARCHAR(80)  NOT NULL,
    state               VARCHAR(20)  NOT NULL,
    artifact_path       VARCHAR(2048),
    size_bytes          BIGINT,
    sha256              VARCHAR(64),
    dispatched_at       TIMESTAMPTZ,
    snapshot_started_at TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    message             TEXT,
    UNIQUE (run_id, role)
);

CREATE TABLE hypervisor (
    id                   UUID PRIMARY KEY,
    name                 VARCHAR(63)  NOT NULL UNIQUE,
    kind                 VARCHAR(10)  NOT NULL,
    dialect              VARCHAR(40)  NOT NULL,
    address              VARCHAR(255) NOT NULL,
    port                 INTEGER      NOT NULL,
    username             VARCHAR(64)  NOT NULL,
    key_file             VARCHAR(255) NOT NULL,
    host_key_fingerprint VARCHAR(80)  NOT NULL,
    backup_target        VARCHAR(1024) NOT NULL,
    running_datastore    VARCHAR(1024) NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    updated_at           TIMESTAMPTZ  NOT NULL,
    version              BIGINT       NOT NULL
);

CREATE TABLE management_host (
    id            UUID PRIMARY KEY,
    name          VARCHAR(63) NOT NULL UNIQUE,
    hypervisor_id UUID        NOT NULL REFERENCES hypervisor (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT      NOT NULL
);

CREATE TABLE node (
    id                 UUID PRIMARY KEY,
    management_host_id UUID        NOT NULL REFERENCES management_host (id) ON DELETE CASCADE,
    role               VARCHAR(20) NOT NULL,
    vm_name            VARCHAR(80) NOT NULL,
    vzdump_vmid        INTEGER,
    macs               JSONB       NOT NULL DEFAULT '[]',
    power_state        VARCHAR(20) NOT NULL,
    deployment_state   VARCHAR(40),
    UNIQUE (management_host_id, role)
);

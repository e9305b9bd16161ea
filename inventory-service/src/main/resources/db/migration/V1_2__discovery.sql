-- A discovery: inventory asked the executor what the hypervisor of a management host shows (DiscoverVms) and
-- recorded the answer per node, with the differences from what inventory holds.
CREATE TABLE discovery (
    id                 UUID PRIMARY KEY,
    management_host_id UUID        NOT NULL REFERENCES management_host (id) ON DELETE CASCADE,
    state              VARCHAR(20) NOT NULL,
    requested_at       TIMESTAMPTZ NOT NULL,
    finished_at        TIMESTAMPTZ,
    reason             TEXT,
    differences        JSONB       NOT NULL DEFAULT '[]',
    other_vms          JSONB       NOT NULL DEFAULT '[]',
    version            BIGINT      NOT NULL
);
CREATE INDEX discovery_latest ON discovery (management_host_id, requested_at DESC);

-- What the hypervisor showed of one node's VM (matched by VM name); config is its .vmx or domain XML.
CREATE TABLE discovery_node (
    id            UUID PRIMARY KEY,
    discovery_id  UUID        NOT NULL REFERENCES discovery (id) ON DELETE CASCADE,
    role          VARCHAR(20) NOT NULL,
    vm_name       VARCHAR(80) NOT NULL,
    found         BOOLEAN     NOT NULL,
    vm_id         VARCHAR(64),
    power_state   VARCHAR(20),
    macs          JSONB       NOT NULL DEFAULT '[]',
    macs_captured BOOLEAN     NOT NULL DEFAULT FALSE,
    config        TEXT,
    UNIQUE (discovery_id, role)
);

-- known_host is now the shared projection of inventory.events (module known-hosts): the hypervisor as the whole
-- connection inventory announces. Rows from before keep the name and dialect they had until the next announcement.
ALTER TABLE known_host ALTER COLUMN hypervisor TYPE JSONB
    USING jsonb_build_object('name', hypervisor, 'dialect', dialect);
ALTER TABLE known_host DROP COLUMN dialect;
ALTER TABLE known_host ALTER COLUMN host_id DROP NOT NULL;

-- known_host is now the shared projection of inventory.events (module known-hosts), which also keeps the host's id.
ALTER TABLE known_host ADD COLUMN host_id UUID;

-- How power-service can tell the node is Deployed besides node-status events: http(s)://… (any 2xx) or tcp://host:port.
ALTER TABLE node ADD COLUMN readiness_probe VARCHAR(2048);

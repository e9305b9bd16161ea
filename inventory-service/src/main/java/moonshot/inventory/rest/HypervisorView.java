package moonshot.inventory.rest;

import moonshot.contract.Dialect;
import moonshot.contract.HypervisorKind;

import java.time.Instant;
import java.util.UUID;

public record HypervisorView(UUID id, String name, HypervisorKind kind, Dialect dialect, String address, int port,
                             String user, String keyFile, String hostKeyFingerprint, String backupTarget,
                             String runningDatastore, Instant createdAt, Instant updatedAt) {
}

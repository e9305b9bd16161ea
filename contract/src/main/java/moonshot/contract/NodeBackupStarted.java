package moonshot.contract;

import java.time.Instant;
import java.util.UUID;

/** The executor dispatched a node's backup command to its hypervisor. */
public record NodeBackupStarted(UUID runId, String managementHost, NodeRole role, String vmName, Instant dispatchedAt) {
}

package moonshot.contract;

import java.time.Instant;
import java.util.UUID;

/** A node's backup failed; {@code reason} carries the tool's own message. */
public record NodeBackupFailed(
        UUID runId,
        String managementHost,
        NodeRole role,
        String vmName,
        String reason,
        Instant dispatchedAt,
        Instant finishedAt) {
}

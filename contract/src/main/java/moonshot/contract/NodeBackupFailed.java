package moonshot.contract;

import java.time.Instant;
import java.util.UUID;

/**
 * A node's backup failed; {@code reason} carries the tool's own message. {@code dispatchedAt} is absent when it
 * failed before its command was sent (unreachable hypervisor, refused value).
 */
public record NodeBackupFailed(
        UUID runId,
        String managementHost,
        NodeRole role,
        String vmName,
        String reason,
        @OptionalField Instant dispatchedAt,
        Instant finishedAt) {
}

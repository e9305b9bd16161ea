package moonshot.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A node's backup finished and its artifact was measured on the hypervisor. {@code snapshotStartedAt} is the moment
 * the tool reported the snapshot started (null when the tool's output does not say). {@code macs} and
 * {@code vmConfig} are the VM's MAC addresses and configuration as captured at backup time.
 */
public record NodeBackupSucceeded(
        UUID runId,
        String managementHost,
        NodeRole role,
        String vmName,
        String artifactPath,
        long sizeBytes,
        String sha256,
        Instant dispatchedAt,
        @OptionalField Instant snapshotStartedAt,
        Instant finishedAt,
        @OptionalField List<String> macs,
        @OptionalField String vmConfig) {
}

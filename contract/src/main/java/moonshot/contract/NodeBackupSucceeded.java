package moonshot.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A node's backup finished; its artifact was found on the hypervisor, is of a format the dialect restores, and was
 * measured there. The snapshot began between {@code snapshotNotBefore} and {@code snapshotNotAfter} (the executor's
 * clock), as seen by {@code snapshotWitness} — what the executor watched on the hypervisor itself (e.g.
 * {@code vim-cmd vmsvc/snapshot.get}); all three null when nothing witnessed it. {@code macs} and {@code vmConfig}
 * are the VM's MAC addresses and configuration as captured at backup time. {@code note} says what an operator should
 * know about a backup that still counts (e.g. a guest without agent, snapshotted crash-consistent).
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
        @OptionalField Instant snapshotNotBefore,
        @OptionalField Instant snapshotNotAfter,
        @OptionalField String snapshotWitness,
        Instant finishedAt,
        @OptionalField List<String> macs,
        @OptionalField String vmConfig,
        @OptionalField String note) {
}

package moonshot.scheduler.rest;

import moonshot.contract.BackupScope;
import moonshot.contract.NodeRole;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RetentionState;
import moonshot.scheduler.RunState;
import moonshot.scheduler.Trigger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record BackupRunView(UUID id, String managementHost, BackupScope scope, RunState state, Trigger trigger,
                            String reason, UUID policyId, String ticket, boolean protectedBaseline,
                            Instant requestedAt, Instant startedAt, Instant finishedAt, Instant deadlineAt,
                            Long skewMillis,
                            Long skewPrecisionMillis, String skewSource, Boolean consistent, String consistency,
                            RetentionState retentionState, String retentionNote, List<NodeResultView> nodes) {

    public record NodeResultView(NodeRole role, String vmName, NodeBackupState state, String artifactPath,
                                 Long sizeBytes, String sha256, List<String> macs, Instant dispatchedAt,
                                 Instant snapshotNotBefore, Instant snapshotNotAfter, String snapshotWitness,
                                 Instant finishedAt, Instant deletedAt, String message) {
    }

    static BackupRunView of(BackupRun run) {
        return new BackupRunView(run.id, run.managementHost, run.scope, run.state, run.trigger, run.reason,
                run.policyId, run.ticket, run.protectedBaseline, run.requestedAt, run.startedAt, run.finishedAt,
                run.deadlineAt, run.skewMillis, run.skewPrecisionMillis, run.skewSource, run.consistent,
                consistency(run),
                run.retentionState, run.retentionNote,
                run.nodes.stream().map(n -> new NodeResultView(n.role, n.vmName, n.state, n.artifactPath,
                        n.sizeBytes, n.sha256, n.macs, n.dispatchedAt, n.snapshotNotBefore, n.snapshotNotAfter,
                        n.snapshotWitness, n.finishedAt, n.deletedAt, n.message)).toList());
    }

    /** The pair's verdict as the contract words it: true, false or unknown; null for a run without a measured pair. */
    static String consistency(BackupRun run) {
        if (run.skewMillis == null) {
            return null;
        }
        return run.consistent == null ? "unknown" : run.consistent.toString();
    }
}

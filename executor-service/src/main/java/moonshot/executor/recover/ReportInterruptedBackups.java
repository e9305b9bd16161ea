package moonshot.executor.recover;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.NodeBackupFailed;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.Interruption;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.run.RecordIfStillOwned;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.knownhosts.KnownHost;
import moonshot.knownhosts.KnownHostRepository;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An executor that dies mid-backup leaves the backup RUNNING under its name. When it comes back, or when its lease
 * has run out and another instance took the backup over, each node without an outcome is reported failed with the
 * reason, so no run hangs; for a node that was already dispatched, the
 * partial artifact the killed tool left on the hypervisor is removed and the failure names what was removed (or
 * why it could not be).
 */
@ApplicationScoped
class ReportInterruptedBackups {

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final RecordIfStillOwned ownership;
    private final Clock clock;

    ReportInterruptedBackups(ExecutionRepository executions, KnownHostRepository hosts, Drivers drivers,
                             HypervisorClient client, ExecutorEvents events, RecordIfStillOwned ownership,
                             Clock clock) {
        this.executions = executions;
        this.hosts = hosts;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.ownership = ownership;
        this.clock = clock;
    }

    void report(UUID backupId, Interruption interruption) {
        Map<UUID, String> cleanup = removePartials(backupId);
        ownership.record(backupId, "the report of its interruption",
                execution -> resolve(execution, interruption, cleanup));
    }

    /** For each dispatched node of a backup: what removing its partial artifact did, in words. */
    private Map<UUID, String> removePartials(UUID executionId) {
        Map<UUID, String> outcome = new HashMap<>();
        record Work(UUID nodeId, BackupTarget target, java.time.Instant dispatchedAt) {
        }
        var snapshot = QuarkusTransaction.requiringNew().call(() -> {
            Execution execution = executions.findById(executionId);
            KnownHost host = hosts.findActive(execution.managementHost).orElse(null);
            List<Work> work = execution.nodes.stream()
                    .filter(n -> n.state == NodeExecutionState.DISPATCHED && n.dispatchedAt != null)
                    .map(n -> new Work(n.id, new BackupTarget(n.role, n.vmName, n.vzdumpVmid), n.dispatchedAt))
                    .toList();
            return Map.entry(host == null ? java.util.Optional.<KnownHost>empty() : java.util.Optional.of(host), work);
        });
        for (Work work : snapshot.getValue()) {
            if (snapshot.getKey().isEmpty()) {
                outcome.put(work.nodeId(), "the host is no longer in inventory, so a partial artifact may remain");
                continue;
            }
            var hypervisor = snapshot.getKey().get().hypervisor;
            try {
                String command = drivers.backup(hypervisor.dialect())
                        .removePartialCommand(hypervisor, work.target(), work.dispatchedAt());
                CommandResult result = client.run(hypervisor, command);
                outcome.put(work.nodeId(), !result.succeeded()
                        ? "removing the partial artifact failed (" + result.failureMessage() + "); it may remain"
                        : result.stdout().isBlank() ? "no partial artifact was left on the hypervisor"
                        : "removed the partial artifact " + String.join(", ", result.stdout().strip().lines().toList()));
            } catch (RuntimeException e) {
                outcome.put(work.nodeId(), "could not reach the hypervisor to remove the partial artifact ("
                        + e.getMessage() + "); it may remain");
            }
        }
        return outcome;
    }

    private void resolve(Execution execution, Interruption interruption, Map<UUID, String> cleanup) {
        for (ExecutionNode node : execution.nodes) {
            if (node.state.isTerminal()) {
                continue;
            }
            String reason = node.state == NodeExecutionState.DISPATCHED
                    ? interruption.stopped() + " while this backup was running on the hypervisor; "
                    + cleanup.getOrDefault(node.id, "a partial artifact may remain")
                    : interruption.stopped() + " before this backup was dispatched";
            node.state = NodeExecutionState.FAILED;
            node.finishedAt = clock.instant();
            node.message = reason;
            events.failed(new NodeBackupFailed(execution.id, execution.managementHost, node.role, node.vmName,
                    reason, node.dispatchedAt, node.finishedAt));
        }
        execution.note = interruption.note();
        execution.moveTo(ExecutionState.ABANDONED, clock.instant());
    }
}

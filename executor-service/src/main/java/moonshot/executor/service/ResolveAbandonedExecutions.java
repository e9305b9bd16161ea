package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.NodeBackupFailed;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * An executor that dies mid-backup leaves executions RUNNING under its name. When it comes back, each node without
 * an outcome is reported failed with the reason, so no run hangs. A backup that was dispatched may have left a
 * partial artifact on the hypervisor; the failure says so.
 */
@ApplicationScoped
public class ResolveAbandonedExecutions {

    private static final Logger LOG = Logger.getLogger(ResolveAbandonedExecutions.class);

    private final ExecutionRepository executions;
    private final ExecutorEvents events;
    private final Clock clock;

    ResolveAbandonedExecutions(ExecutionRepository executions, ExecutorEvents events, Clock clock) {
        this.executions = executions;
        this.events = events;
        this.clock = clock;
    }

    public void resolveOwnedBy(String instanceId) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (Execution execution : executions.runningOwnedBy(instanceId)) {
                for (ExecutionNode node : execution.nodes) {
                    if (node.state.isTerminal()) {
                        continue;
                    }
                    String reason = node.state == NodeExecutionState.DISPATCHED
                            ? "executor " + instanceId + " stopped while this backup was running on the hypervisor; "
                            + "a partial artifact may remain in the backup target"
                            : "executor " + instanceId + " stopped before this backup was dispatched";
                    node.state = NodeExecutionState.FAILED;
                    node.finishedAt = clock.instant();
                    node.message = reason;
                    events.failed(new NodeBackupFailed(execution.id, execution.managementHost, node.role, node.vmName,
                            reason, node.dispatchedAt, node.finishedAt));
                }
                execution.note = "abandoned: executor restarted mid-execution";
                execution.moveTo(ExecutionState.ABANDONED, clock.instant());
                LOG.warnf("resolved execution %s of %s left running by %s before a restart", execution.id,
                        execution.managementHost, instanceId);
            }
        });
    }
}

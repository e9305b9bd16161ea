package moonshot.executor.recover;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.RestoreNode;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * A restore that an executor left RUNNING when it died is never resumed, since nobody knows how far it got: when that
 * executor comes back it answers NodeRestoreFailed ("the VM may be half restored: retry the restore").
 */
@ApplicationScoped
class ReportInterruptedRestores {

    static final String STOPPED_MID_RESTORE = "executor stopped mid-restore; the VM may be half restored: "
            + "retry the restore";

    private final ExecutionRepository executions;
    private final ExecutorEvents events;
    private final Clock clock;

    ReportInterruptedRestores(ExecutionRepository executions, ExecutorEvents events, Clock clock) {
        this.executions = executions;
        this.events = events;
        this.clock = clock;
    }

    void report(UUID restoreCommandId, String instanceId) {
        QuarkusTransaction.requiringNew().run(() -> {
            Execution execution = executions.findById(restoreCommandId);
            RestoreNode command = execution.payload(RestoreNode.class);
            Instant now = clock.instant();
            for (ExecutionNode node : execution.nodes) {
                node.state = NodeExecutionState.FAILED;
                node.finishedAt = now;
                node.message = STOPPED_MID_RESTORE;
            }
            execution.note = "abandoned: executor " + instanceId + " restarted mid-restore";
            execution.moveTo(ExecutionState.ABANDONED, now);
            events.restoreFailed(new NodeRestoreFailed(command.commandId(), command.restoreId(),
                    command.managementHost(), command.role(), command.vmName(), STOPPED_MID_RESTORE));
        });
    }
}

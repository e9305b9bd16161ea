package moonshot.executor.recover;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.RestoreNode;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.Interruption;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.run.RecordIfStillOwned;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * A restore that an executor left RUNNING when it died is never resumed, since nobody knows how far it got: when that
 * executor comes back, or once its lease has run out and another instance took it over, it is answered with
 * NodeRestoreFailed ("executor X stopped mid-restore; the VM may be half restored: retry the restore").
 */
@ApplicationScoped
class ReportInterruptedRestores {

    private final RecordIfStillOwned ownership;
    private final ExecutorEvents events;
    private final Clock clock;

    ReportInterruptedRestores(RecordIfStillOwned ownership, ExecutorEvents events, Clock clock) {
        this.ownership = ownership;
        this.events = events;
        this.clock = clock;
    }

    void report(UUID restoreCommandId, Interruption interruption) {
        String reason = interruption.stopped() + " mid-restore; the VM may be half restored: retry the restore";
        ownership.record(restoreCommandId, "the report of its interruption", execution -> {
            RestoreNode command = execution.payload(RestoreNode.class);
            Instant now = clock.instant();
            for (ExecutionNode node : execution.nodes) {
                node.state = NodeExecutionState.FAILED;
                node.finishedAt = now;
                node.message = reason;
            }
            execution.note = interruption.note();
            execution.moveTo(ExecutionState.ABANDONED, now);
            events.restoreFailed(new NodeRestoreFailed(command.commandId(), command.restoreId(),
                    command.managementHost(), command.role(), command.vmName(), reason));
        });
    }
}

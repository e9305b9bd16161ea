package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.PowerNode;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.ExecutionRepository.VmHolder;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One lock per VM across execution kinds, taken when an execution is claimed (in the claim's transaction, claims of
 * one management host serialised across replicas): a backup, restore or power command whose VM a RUNNING execution
 * holds waits, ACCEPTED, until it ends — except a power command on a VM being backed up or restored, which is
 * <b>refused</b> at once with NodePowerFailed naming the holder. Refused rather than queued: a power-off landing in
 * the middle of a snapshot or a restore is what the lock is for, and a queued one would land minutes or hours later,
 * when the operator's intent (or power-service's step timeout) has long passed; the sequence fails with the reason
 * and is asked for again once the backup has ended. A restore or maintenance ticket never meets this: their sagas
 * power off only after their backup, and restore only after their power-off.
 */
@ApplicationScoped
public class OneExecutionPerVm {

    private static final Logger LOG = Logger.getLogger(OneExecutionPerVm.class);
    private static final EnumSet<ExecutionKind> NOT_TO_BE_POWERED = EnumSet.of(ExecutionKind.BACKUP,
            ExecutionKind.RESTORE);

    /** What a claim may do with an execution. */
    public enum Verdict { RUN, WAIT, REFUSED }

    private final ExecutionRepository executions;
    private final ExecutorEvents events;
    private final Clock clock;

    OneExecutionPerVm(ExecutionRepository executions, ExecutorEvents events, Clock clock) {
        this.executions = executions;
        this.events = events;
        this.clock = clock;
    }

    /** In the claim's transaction, before {@code execution} moves to RUNNING. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Verdict check(Execution execution) {
        if (execution.nodes.isEmpty()) {
            return Verdict.RUN;
        }
        executions.lockClaimsOf(execution.managementHost);
        List<VmHolder> holders = executions.runningOnTheSameVms(execution);
        if (holders.isEmpty()) {
            return Verdict.RUN;
        }
        if (execution.kind == ExecutionKind.POWER
                && holders.stream().allMatch(holder -> NOT_TO_BE_POWERED.contains(holder.kind()))) {
            refuse(execution, holders);
            return Verdict.REFUSED;
        }
        LOG.infof("%s %s of %s waits: %s", execution.kind.description(), execution.id, execution.managementHost,
                describe(holders));
        return Verdict.WAIT;
    }

    private void refuse(Execution execution, List<VmHolder> holders) {
        PowerNode command = execution.payload(PowerNode.class);
        String reason = "refused: " + describe(holders) + "; a power action is never sent to a VM during its"
                + " snapshot or restore — ask again once it has ended";
        Instant now = clock.instant();
        execution.note = "failed: " + reason;
        for (ExecutionNode node : execution.nodes) {
            node.state = NodeExecutionState.FAILED;
            node.finishedAt = now;
            node.message = execution.note;
        }
        execution.moveTo(ExecutionState.FINISHED, now);
        events.powerFailed(new NodePowerFailed(command.commandId(), command.sequenceId(), command.managementHost(),
                command.role(), command.vmName(), reason));
        LOG.warnf("%s %s of %s %s", command.action(), command.vmName(), command.managementHost(), reason);
    }

    private static String describe(List<VmHolder> holders) {
        return holders.stream().map(holder -> "VM " + holder.vmName() + " is held by " + holder.kind().description()
                        + " " + holder.id() + " (running since " + holder.since() + " on " + holder.owner() + ")")
                .collect(Collectors.joining("; "));
    }
}

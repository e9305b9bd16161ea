package moonshot.executor.accept;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerNode;
import moonshot.contract.RestoreNode;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionNode;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.run.RunAcceptedExecutions;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.UUID;

/**
 * Persists a PowerNode, CheckHypervisor or RestoreNode as an ACCEPTED execution of kind POWER, CHECK or RESTORE whose
 * id is the command id (so a redelivery, even under another event id, has no second effect), and wakes the workers
 * once that is committed. A power command or a restore also gets its VM as the execution's one node.
 */
@ApplicationScoped
public class AcceptHypervisorCommands {

    private static final Logger LOG = Logger.getLogger(AcceptHypervisorCommands.class);

    private final ExecutionRepository executions;
    private final RunAcceptedExecutions workers;
    private final Clock clock;

    AcceptHypervisorCommands(ExecutionRepository executions, RunAcceptedExecutions workers, Clock clock) {
        this.executions = executions;
        this.workers = workers;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void accept(PowerNode command) {
        if (persist(command.commandId(), ExecutionKind.POWER, command.managementHost(), command, command.role(),
                command.vmName(), null)) {
            LOG.infof("accepted power command %s: %s %s of %s (sequence %s, %d s)", command.commandId(),
                    command.action(), command.vmName(), command.managementHost(), command.sequenceId(),
                    command.timeoutSeconds());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void accept(CheckHypervisor command) {
        if (persist(command.commandId(), ExecutionKind.CHECK, command.managementHost(), command, null, null, null)) {
            LOG.infof("accepted hypervisor check %s of %s (sequence %s)", command.commandId(),
                    command.managementHost(), command.sequenceId());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void accept(RestoreNode command) {
        if (persist(command.commandId(), ExecutionKind.RESTORE, command.managementHost(), command, command.role(),
                command.vmName(), command.vzdumpVmid())) {
            LOG.infof("accepted restore command %s: %s of %s from %s (restore %s)", command.commandId(),
                    command.vmName(), command.managementHost(), command.artifactPath(), command.restoreId());
        }
    }

    /** @return false when the command was accepted before */
    private boolean persist(UUID commandId, ExecutionKind kind, String managementHost, Object command, NodeRole role,
                            String vmName, Integer vzdumpVmid) {
        if (executions.findByIdOptional(commandId).isPresent()) {
            LOG.infof("%s %s is already accepted; a second delivery has no effect", kind.description(), commandId);
            return false;
        }
        var execution = new Execution();
        execution.id = commandId;
        execution.kind = kind;
        execution.managementHost = managementHost;
        execution.acceptedAt = clock.instant();
        execution.payload(command);
        if (role != null) {
            var node = new ExecutionNode();
            node.id = UUID.randomUUID();
            node.execution = execution;
            node.role = role;
            // the column holds a name as inventory allows it; a longer (refused later) one is kept whole in the payload
            node.vmName = vmName.length() > 80 ? vmName.substring(0, 79) + "…" : vmName;
            node.vzdumpVmid = vzdumpVmid;
            execution.nodes.add(node);
        }
        executions.persist(execution);
        workers.wakeAfterCommit();
        return true;
    }
}

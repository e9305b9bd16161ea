package moonshot.executor.accept;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.BackupTarget;
import moonshot.contract.StartBackup;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionNode;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.run.RunAcceptedExecutions;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.UUID;

/** Persists a StartBackup as an ACCEPTED execution and wakes the workers once that is committed. */
@ApplicationScoped
public class AcceptBackup {

    private static final Logger LOG = Logger.getLogger(AcceptBackup.class);

    private final ExecutionRepository executions;
    private final RunAcceptedExecutions workers;
    private final Clock clock;

    AcceptBackup(ExecutionRepository executions, RunAcceptedExecutions workers, Clock clock) {
        this.executions = executions;
        this.workers = workers;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void accept(StartBackup command) {
        if (executions.findByIdOptional(command.runId()).isPresent()) {
            LOG.infof("run %s is already accepted; a second StartBackup for it has no effect", command.runId());
            return;
        }
        var execution = new Execution();
        execution.id = command.runId();
        execution.kind = ExecutionKind.BACKUP;
        execution.managementHost = command.managementHost();
        execution.scope = command.scope();
        execution.acceptedAt = clock.instant();
        for (BackupTarget target : command.nodes()) {
            var node = new ExecutionNode();
            node.id = UUID.randomUUID();
            node.execution = execution;
            node.role = target.role();
            node.vmName = target.vmName();
            node.vzdumpVmid = target.vzdumpVmid();
            execution.nodes.add(node);
        }
        executions.persist(execution);
        LOG.infof("accepted %s backup run %s of %s: %s", command.scope(), command.runId(), command.managementHost(),
                command.nodes().stream().map(BackupTarget::vmName).toList());
        workers.wakeAfterCommit();
    }
}

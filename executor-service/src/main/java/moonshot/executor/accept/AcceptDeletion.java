package moonshot.executor.accept;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.DeleteArtifacts;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.run.RunAcceptedExecutions;
import org.jboss.logging.Logger;

import java.time.Clock;

/** Persists a DeleteArtifacts as an ACCEPTED DELETE execution (its id is the request id) and wakes the workers. */
@ApplicationScoped
public class AcceptDeletion {

    private static final Logger LOG = Logger.getLogger(AcceptDeletion.class);

    private final ExecutionRepository executions;
    private final RunAcceptedExecutions workers;
    private final Clock clock;

    AcceptDeletion(ExecutionRepository executions, RunAcceptedExecutions workers, Clock clock) {
        this.executions = executions;
        this.workers = workers;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void accept(DeleteArtifacts command) {
        if (executions.findByIdOptional(command.requestId()).isPresent()) {
            LOG.infof("deletion %s is already accepted; a second DeleteArtifacts for it has no effect",
                    command.requestId());
            return;
        }
        var execution = new Execution();
        execution.id = command.requestId();
        execution.kind = ExecutionKind.DELETE;
        execution.managementHost = command.managementHost();
        execution.acceptedAt = clock.instant();
        execution.payload(command);
        executions.persist(execution);
        LOG.infof("accepted deletion %s of %d artifact(s) of %s", command.requestId(), command.artifactPaths().size(),
                command.managementHost());
        workers.wakeAfterCommit();
    }
}

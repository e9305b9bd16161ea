package moonshot.executor.accept;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.DiscoverVms;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.run.RunAcceptedExecutions;
import org.jboss.logging.Logger;

import java.time.Clock;

/** Persists a DiscoverVms as an ACCEPTED DISCOVERY execution (its id is the discovery id) and wakes the workers. */
@ApplicationScoped
public class AcceptDiscovery {

    private static final Logger LOG = Logger.getLogger(AcceptDiscovery.class);

    private final ExecutionRepository executions;
    private final RunAcceptedExecutions workers;
    private final Clock clock;

    AcceptDiscovery(ExecutionRepository executions, RunAcceptedExecutions workers, Clock clock) {
        this.executions = executions;
        this.workers = workers;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void accept(DiscoverVms command) {
        if (executions.findByIdOptional(command.discoveryId()).isPresent()) {
            LOG.infof("discovery %s is already accepted; a second DiscoverVms for it has no effect",
                    command.discoveryId());
            return;
        }
        var execution = new Execution();
        execution.id = command.discoveryId();
        execution.kind = ExecutionKind.DISCOVERY;
        execution.managementHost = command.managementHost();
        execution.acceptedAt = clock.instant();
        execution.payload(command);
        executions.persist(execution);
        LOG.infof("accepted discovery %s of %s", command.discoveryId(), command.managementHost());
        workers.wakeAfterCommit();
    }
}

package moonshot.executor.accept;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.executor.run.RunAcceptedExecutions;
import moonshot.knownhosts.KnownHostApplied;

/**
 * The executor's hook on inventory, for commands: a command may arrive before the announcement of its host (they
 * travel on different topics) and waits for it (see {@code ExecutionRepository.claimNextAccepted}); once the host is
 * applied, the workers look again.
 */
@ApplicationScoped
public class WakeCommandsWaitingForHost {

    private final RunAcceptedExecutions workers;

    WakeCommandsWaitingForHost(RunAcceptedExecutions workers) {
        this.workers = workers;
    }

    void onKnownHost(@Observes KnownHostApplied applied) {
        if (!applied.removed()) {
            workers.wakeAfterCommit();
        }
    }
}

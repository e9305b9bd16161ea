package moonshot.executor.accept;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.executor.run.RunAcceptedExecutions;
import moonshot.knownhosts.KnownHostApplied;

/**
 * The executor's hook on inventory, for commands: a command may arrive before the announcement of its host (they
 * travel on different topics) and waits for it (see {@code ExecutionRepository.claimNextAccepted}); once the host is
 * applied (or removed), the workers look again.
 */
@ApplicationScoped
public class WakeCommandsWaitingForHost {

    private final RunAcceptedExecutions workers;

    WakeCommandsWaitingForHost(RunAcceptedExecutions workers) {
        this.workers = workers;
    }

    void onKnownHost(@Observes KnownHostApplied applied) {
        // a removed host's waiting commands are claimable now too: they fail at once with that reason
        workers.wakeAfterCommit();
    }
}

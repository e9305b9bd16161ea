package moonshot.executor.recover;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.DiscoveryFailed;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.run.DeleteArtifactsExecution;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * A discovery or a deletion that an executor left RUNNING when it died still gets its answer when that executor comes
 * back: DiscoveryFailed, or ArtifactsDeleted with every path among the failures (an {@code rm -rf} may have been half
 * way), so whoever asked can simply ask again.
 */
@ApplicationScoped
class ReportInterruptedDiscoveriesAndDeletions {

    private final ExecutionRepository executions;
    private final ExecutorEvents events;
    private final Clock clock;

    ReportInterruptedDiscoveriesAndDeletions(ExecutionRepository executions, ExecutorEvents events, Clock clock) {
        this.executions = executions;
        this.events = events;
        this.clock = clock;
    }

    void reportDiscovery(UUID discoveryId, String instanceId) {
        QuarkusTransaction.requiringNew().run(() -> {
            Execution execution = executions.findById(discoveryId);
            events.discoveryFailed(new DiscoveryFailed(execution.id, execution.managementHost,
                    stopped(execution, instanceId)));
            abandon(execution);
        });
    }

    void reportDeletion(UUID requestId, String instanceId) {
        QuarkusTransaction.requiringNew().run(() -> {
            Execution execution = executions.findById(requestId);
            String reason = stopped(execution, instanceId) + " (it may be partly removed)";
            List<String> paths = execution.payload(DeleteArtifacts.class).artifactPaths();
            events.artifactsDeleted(new ArtifactsDeleted(execution.id, execution.managementHost, List.of(),
                    paths.stream().map(path -> DeleteArtifactsExecution.failure(path, reason)).toList()));
            abandon(execution);
        });
    }

    private static String stopped(Execution execution, String instanceId) {
        return "executor " + instanceId + " stopped while this " + execution.kind.description()
                + " was running; ask again";
    }

    private void abandon(Execution execution) {
        execution.note = "abandoned: executor restarted mid-execution";
        execution.moveTo(ExecutionState.ABANDONED, clock.instant());
    }
}

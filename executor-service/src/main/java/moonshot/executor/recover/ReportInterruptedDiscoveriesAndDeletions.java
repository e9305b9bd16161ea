package moonshot.executor.recover;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.DiscoveryFailed;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;
import moonshot.executor.Interruption;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.run.DeleteArtifactsExecution;
import moonshot.executor.run.RecordIfStillOwned;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * A discovery or a deletion that an executor left RUNNING when it died still gets its answer when that executor comes
 * back, or once its lease has run out and another instance took it over: DiscoveryFailed, or ArtifactsDeleted with every path among the failures (an {@code rm -rf} may have been half
 * way), so whoever asked can simply ask again.
 */
@ApplicationScoped
class ReportInterruptedDiscoveriesAndDeletions {

    private final RecordIfStillOwned ownership;
    private final ExecutorEvents events;
    private final Clock clock;

    ReportInterruptedDiscoveriesAndDeletions(RecordIfStillOwned ownership, ExecutorEvents events, Clock clock) {
        this.ownership = ownership;
        this.events = events;
        this.clock = clock;
    }

    void reportDiscovery(UUID discoveryId, Interruption interruption) {
        ownership.record(discoveryId, "the report of its interruption", execution -> {
            events.discoveryFailed(new DiscoveryFailed(execution.id, execution.managementHost,
                    stopped(execution, interruption)));
            abandon(execution, interruption);
        });
    }

    void reportDeletion(UUID requestId, Interruption interruption) {
        ownership.record(requestId, "the report of its interruption", execution -> {
            String reason = stopped(execution, interruption) + " (it may be partly removed)";
            List<String> paths = execution.payload(DeleteArtifacts.class).artifactPaths();
            events.artifactsDeleted(new ArtifactsDeleted(execution.id, execution.managementHost, List.of(),
                    paths.stream().map(path -> DeleteArtifactsExecution.failure(path, reason)).toList()));
            abandon(execution, interruption);
        });
    }

    private static String stopped(Execution execution, Interruption interruption) {
        return interruption.stopped() + " while this " + execution.kind.description() + " was running; ask again";
    }

    private void abandon(Execution execution, Interruption interruption) {
        execution.note = interruption.note();
        execution.moveTo(ExecutionState.ABANDONED, clock.instant());
    }
}

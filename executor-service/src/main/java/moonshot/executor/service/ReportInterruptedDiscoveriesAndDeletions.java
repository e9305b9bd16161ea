package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.DiscoveryFailed;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;

/**
 * A discovery or a deletion that an executor left RUNNING when it died still gets its answer when that executor comes
 * back: DiscoveryFailed, or ArtifactsDeleted with every path among the failures (an {@code rm -rf} may have been half
 * way), so whoever asked can simply ask again. Backups are resolved by {@link ResolveAbandonedExecutions}.
 */
@ApplicationScoped
public class ReportInterruptedDiscoveriesAndDeletions {

    private static final Logger LOG = Logger.getLogger(ReportInterruptedDiscoveriesAndDeletions.class);

    private final ExecutionRepository executions;
    private final ExecutorEvents events;
    private final Clock clock;

    ReportInterruptedDiscoveriesAndDeletions(ExecutionRepository executions, ExecutorEvents events, Clock clock) {
        this.executions = executions;
        this.events = events;
        this.clock = clock;
    }

    public void reportOwnedBy(String instanceId) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (Execution execution : executions.runningOwnedBy(instanceId)) {
                String what = Execution.DELETE.equals(execution.kind) ? "deletion" : "discovery";
                String stopped = "executor " + instanceId + " stopped while this " + what + " was running; ask again";
                switch (execution.kind) {
                    case Execution.DISCOVERY -> events.discoveryFailed(
                            new DiscoveryFailed(execution.id, execution.managementHost, stopped));
                    case Execution.DELETE -> {
                        List<String> paths = execution.payload(DeleteArtifacts.class).artifactPaths();
                        events.artifactsDeleted(new ArtifactsDeleted(execution.id, execution.managementHost,
                                List.of(), paths.stream().map(path -> DeleteArtifactsExecution.failure(path,
                                        stopped + " (it may be partly removed)")).toList()));
                    }
                    default -> {
                        continue;
                    }
                }
                execution.note = "abandoned: executor restarted mid-execution";
                execution.moveTo(ExecutionState.ABANDONED, clock.instant());
                LOG.warnf("reported %s %s of %s left running by %s before a restart", execution.kind, execution.id,
                        execution.managementHost, instanceId);
            }
        });
    }
}

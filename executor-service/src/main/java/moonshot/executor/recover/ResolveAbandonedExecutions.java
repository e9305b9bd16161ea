package moonshot.executor.recover;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.executor.ExecutionKind;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.run.CheckHypervisorExecution;
import moonshot.executor.run.PowerNodeExecution;
import moonshot.executor.run.RunAcceptedExecutions;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * An executor that dies mid-work leaves executions RUNNING under its name. When it comes back, before it claims
 * anything new, each of them gets its answer in the way that is safe for its kind:
 * <ul>
 *     <li>BACKUP: each node without an outcome fails, its partial artifact removed ({@link ReportInterruptedBackups});
 *     </li>
 *     <li>DISCOVERY, DELETE: DiscoveryFailed, or ArtifactsDeleted with every path among the failures; ask again;</li>
 *     <li>POWER: the action is never sent again (it may have been sent); the VM's power state is read once and
 *     reported as NodePowerObserved, or NodePowerFailed when it cannot be read;</li>
 *     <li>CHECK: changes nothing, so it is simply carried out again;</li>
 *     <li>RESTORE: NodeRestoreFailed ("the VM may be half restored: retry the restore"); nothing is resumed.</li>
 * </ul>
 * Backups come last: their cleanup works on the hypervisor for longest.
 */
@ApplicationScoped
public class ResolveAbandonedExecutions {

    private static final Logger LOG = Logger.getLogger(ResolveAbandonedExecutions.class);

    private final ExecutionRepository executions;
    private final ReportInterruptedBackups backups;
    private final ReportInterruptedDiscoveriesAndDeletions discoveriesAndDeletions;
    private final PowerNodeExecution power;
    private final CheckHypervisorExecution check;
    private final ReportInterruptedRestores restores;
    private final RunAcceptedExecutions workers;
    private final ExecutorConfig config;

    ResolveAbandonedExecutions(ExecutionRepository executions, ReportInterruptedBackups backups,
                               ReportInterruptedDiscoveriesAndDeletions discoveriesAndDeletions,
                               PowerNodeExecution power, CheckHypervisorExecution check,
                               ReportInterruptedRestores restores, RunAcceptedExecutions workers,
                               ExecutorConfig config) {
        this.executions = executions;
        this.backups = backups;
        this.discoveriesAndDeletions = discoveriesAndDeletions;
        this.power = power;
        this.check = check;
        this.restores = restores;
        this.workers = workers;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        resolveOwnedBy(config.instanceId());
        workers.start();
    }

    /** Answers every execution {@code instanceId} left RUNNING; one that cannot be answered now stays for next time. */
    public void resolveOwnedBy(String instanceId) {
        record Left(UUID id, ExecutionKind kind) {
        }
        List<Left> left = QuarkusTransaction.requiringNew().call(() -> executions.runningOwnedBy(instanceId).stream()
                .map(e -> new Left(e.id, e.kind))
                .sorted(Comparator.comparing(e -> e.kind() == ExecutionKind.BACKUP))
                .toList());
        for (Left execution : left) {
            try {
                switch (execution.kind()) {
                    case BACKUP -> backups.report(execution.id(), instanceId);
                    case DISCOVERY -> discoveriesAndDeletions.reportDiscovery(execution.id(), instanceId);
                    case DELETE -> discoveriesAndDeletions.reportDeletion(execution.id(), instanceId);
                    case POWER -> power.reobserveAfterRestart(execution.id(), instanceId);
                    case CHECK -> check.answerAgainAfterRestart(execution.id(), instanceId);
                    case RESTORE -> restores.report(execution.id(), instanceId);
                }
                LOG.warnf("answered %s %s left running by %s before a restart", execution.kind().description(),
                        execution.id(), instanceId);
            } catch (RuntimeException e) {
                // Stays RUNNING under this instance's name, so the next start tries again.
                LOG.errorf(e, "could not answer %s %s left running by %s", execution.kind().description(),
                        execution.id(), instanceId);
            }
        }
    }
}

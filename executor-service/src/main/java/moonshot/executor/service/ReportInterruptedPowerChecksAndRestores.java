package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.executor.Execution;
import moonshot.executor.repository.ExecutionRepository;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Power commands, hypervisor checks and restores that an executor left RUNNING when it died still get their answer
 * when it comes back, each in the way that is safe for it:
 * <ul>
 *     <li>POWER: the action is never sent again (it may have been sent); the VM's power state is read once and
 *     reported as NodePowerObserved, or NodePowerFailed when it cannot be read;</li>
 *     <li>CHECK: changes nothing, so it is simply carried out again;</li>
 *     <li>RESTORE: NodeRestoreFailed ("the VM may be half restored: retry the restore"); nothing is resumed.</li>
 * </ul>
 * Backups are resolved by {@link ResolveAbandonedExecutions}, discoveries and deletions by
 * {@link ReportInterruptedDiscoveriesAndDeletions}.
 */
@ApplicationScoped
public class ReportInterruptedPowerChecksAndRestores {

    private static final Logger LOG = Logger.getLogger(ReportInterruptedPowerChecksAndRestores.class);
    private static final Set<String> KINDS = Set.of(Execution.POWER, Execution.CHECK, Execution.RESTORE);

    private final ExecutionRepository executions;
    private final PowerNodeExecution power;
    private final CheckHypervisorExecution check;
    private final RestoreNodeExecution restore;

    ReportInterruptedPowerChecksAndRestores(ExecutionRepository executions, PowerNodeExecution power,
                                            CheckHypervisorExecution check, RestoreNodeExecution restore) {
        this.executions = executions;
        this.power = power;
        this.check = check;
        this.restore = restore;
    }

    public void reportOwnedBy(String instanceId) {
        record Left(UUID id, String kind) {
        }
        List<Left> left = QuarkusTransaction.requiringNew().call(() -> executions.runningOwnedBy(instanceId).stream()
                .filter(e -> KINDS.contains(e.kind))
                .map(e -> new Left(e.id, e.kind))
                .toList());
        for (Left execution : left) {
            try {
                switch (execution.kind()) {
                    case Execution.POWER -> power.reobserveAfterRestart(execution.id(), instanceId);
                    case Execution.CHECK -> check.answerAgainAfterRestart(execution.id(), instanceId);
                    default -> QuarkusTransaction.requiringNew().run(() ->
                            restore.reportStoppedAfterRestart(executions.findById(execution.id()), instanceId));
                }
                LOG.warnf("answered %s execution %s left running by %s before a restart", execution.kind(),
                        execution.id(), instanceId);
            } catch (RuntimeException e) {
                // Stays RUNNING under this instance's name, so the next start tries again.
                LOG.errorf(e, "could not answer %s execution %s left running by %s", execution.kind(), execution.id(),
                        instanceId);
            }
        }
    }
}

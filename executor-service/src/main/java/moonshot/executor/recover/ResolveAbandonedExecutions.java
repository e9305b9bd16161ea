package moonshot.executor.recover;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.executor.ExecutionKind;
import moonshot.executor.Interruption;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.lease.LiveExecutions;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.ExecutionRepository.TakenOver;
import moonshot.executor.run.CheckHypervisorExecution;
import moonshot.executor.run.PowerNodeExecution;
import moonshot.executor.run.RunAcceptedExecutions;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An executor that stops mid-work leaves executions RUNNING under its name. When it comes back, before it claims
 * anything new, it takes them over again; when it does not, any replica takes them over once their leases have run
 * out ({@link ReclaimExpiredLeases}). Either way each gets its answer here, in the way that is safe for its kind:
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
    private final LiveExecutions live;
    private final ExecutorConfig config;
    private final Clock clock;
    private final AtomicBoolean startedUp = new AtomicBoolean();

    ResolveAbandonedExecutions(ExecutionRepository executions, ReportInterruptedBackups backups,
                               ReportInterruptedDiscoveriesAndDeletions discoveriesAndDeletions,
                               PowerNodeExecution power, CheckHypervisorExecution check,
                               ReportInterruptedRestores restores, RunAcceptedExecutions workers,
                               LiveExecutions live, ExecutorConfig config, Clock clock) {
        this.executions = executions;
        this.backups = backups;
        this.discoveriesAndDeletions = discoveriesAndDeletions;
        this.power = power;
        this.check = check;
        this.restores = restores;
        this.workers = workers;
        this.live = live;
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        resolveOwnedBy(config.instanceId());
        startedUp.set(true);
        workers.start();
    }

    /** Whether what this instance left RUNNING before its start has been answered (or tried). */
    boolean startedUp() {
        return startedUp.get();
    }

    /**
     * Takes over and answers every execution {@code instanceId} left RUNNING, whatever its lease; one that cannot be
     * answered now stays RUNNING, and is taken over again once its lease has run out.
     */
    public void resolveOwnedBy(String instanceId) {
        String me = config.instanceId();
        resolveAll(QuarkusTransaction.requiringNew().call(() -> executions.takeOverRunningOf(instanceId, me,
                clock.instant().plus(config.lease().duration()))), taken -> Interruption.restart(instanceId, me));
    }

    /**
     * Answers executions this instance has just taken over; each is held (its lease renewed) until it is answered,
     * so no other replica takes it over meanwhile.
     */
    void resolveAll(List<TakenOver> taken, Function<TakenOver, Interruption> why) {
        taken.forEach(execution -> live.hold(execution.id()));
        for (TakenOver execution : taken.stream()
                .sorted(Comparator.comparing(e -> e.kind() == ExecutionKind.BACKUP)).toList()) {
            try {
                resolve(execution.id(), execution.kind(), why.apply(execution));
            } finally {
                live.release(execution.id());
            }
        }
    }

    /** The one answer of each kind to an execution whose owner stopped carrying it out. */
    void resolve(UUID executionId, ExecutionKind kind, Interruption interruption) {
        try {
            switch (kind) {
                case BACKUP -> backups.report(executionId, interruption);
                case DISCOVERY -> discoveriesAndDeletions.reportDiscovery(executionId, interruption);
                case DELETE -> discoveriesAndDeletions.reportDeletion(executionId, interruption);
                case POWER -> power.reobserve(executionId, interruption);
                case CHECK -> check.answerAgain(executionId, interruption);
                case RESTORE -> restores.report(executionId, interruption);
            }
            LOG.warnf("answered %s %s: %s", kind.description(), executionId, interruption.stopped());
        } catch (RuntimeException e) {
            // Stays RUNNING under this instance's name with a lease nobody renews, so it is taken over again later.
            LOG.errorf(e, "could not answer %s %s (%s)", kind.description(), executionId, interruption.stopped());
        }
    }
}

package moonshot.executor.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.lease.LiveExecutions;
import moonshot.executor.repository.ExecutionRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Claims accepted executions (one database row lock each, so several executor replicas share the work), each with a
 * lease that {@code RenewLeases} renews while a worker holds it, and runs them on a bounded pool, each through
 * {@link RunExecution} with the work of its kind: a backup, a discovery, a deletion, a power command, a hypervisor
 * check or a restore. Nothing is claimed before {@link #start()}: after a restart, the executions this instance left
 * RUNNING are answered first.
 */
@ApplicationScoped
public class RunAcceptedExecutions {

    private static final Logger LOG = Logger.getLogger(RunAcceptedExecutions.class);

    private final ExecutionRepository executions;
    private final OneExecutionPerVm perVm;
    private final RunExecution template;
    private final WorkByKind work;
    private final LiveExecutions live;
    private final TransactionSynchronizationRegistry transactions;
    private final ExecutorConfig config;
    private final Clock clock;
    private final Semaphore freeWorkers;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(named("execution-dispatcher"));
    private final ExecutorService workers;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();

    RunAcceptedExecutions(ExecutionRepository executions, RunExecution template, BackupExecution backup,
                          DiscoverVmsExecution discovery, DeleteArtifactsExecution deletion, PowerNodeExecution power,
                          CheckHypervisorExecution check, RestoreNodeExecution restore, LiveExecutions live,
                          OneExecutionPerVm perVm, TransactionSynchronizationRegistry transactions,
                          ExecutorConfig config, Clock clock) {
        this.executions = executions;
        this.perVm = perVm;
        this.template = template;
        this.work = new WorkByKind(backup, discovery, deletion, power, check, restore);
        this.live = live;
        this.transactions = transactions;
        this.config = config;
        this.clock = clock;
        this.freeWorkers = new Semaphore(config.workers());
        this.workers = Executors.newFixedThreadPool(config.workers(), named("execution-worker"));
    }

    /** Lets claiming begin; called once, after what this instance left RUNNING before a restart was answered. */
    public void start() {
        ready.set(true);
        wake();
    }

    void onStop(@Observes ShutdownEvent event) {
        ready.set(false);
        dispatcher.shutdownNow();
        workers.shutdownNow();
    }

    /** Asks for a claim pass soon; requests while one is queued coalesce. */
    public void wake() {
        if (ready.get() && pending.compareAndSet(false, true)) {
            dispatcher.execute(this::claimWhileWorkersAreFree);
        }
    }

    /** Wakes the workers once the caller's transaction has committed the execution it accepted. */
    public void wakeAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    wake();
                }
            }
        });
    }

    @Scheduled(every = "${moonshot.executor.poll-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    private void claimWhileWorkersAreFree() {
        pending.set(false);
        try {
            while (freeWorkers.tryAcquire()) {
                Optional<Claimed> claimed = QuarkusTransaction.requiringNew().call(this::claimOne);
                if (claimed.isEmpty()) {
                    freeWorkers.release();
                    return;
                }
                if (claimed.get().refused()) {
                    freeWorkers.release();
                    continue;
                }
                live.hold(claimed.get().id());
                workers.execute(() -> {
                    try {
                        run(claimed.get());
                    } catch (RuntimeException e) {
                        // If its end could not be written it is still RUNNING: nothing holds it now, so its lease runs
                        // out and it is taken over and answered.
                        LOG.errorf(e, "execution %s ended with an unexpected error", claimed.get().id());
                    } finally {
                        live.release(claimed.get().id());
                        freeWorkers.release();
                        wake();
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not claim executions: %s", e.getMessage());
        }
    }

    /** Empty when there is nothing to claim now; a refused execution is a claim with nothing to run. */
    private Optional<Claimed> claimOne() {
        return executions.claimNextAccepted(clock.instant().minus(config.unknownHostGrace())).flatMap(execution -> {
            switch (perVm.check(execution)) {
                case WAIT:
                    // another replica claimed a holder of its VM a moment ago; the next pass looks again
                    return Optional.empty();
                case REFUSED:
                    return Optional.of(new Claimed(execution.id, execution.kind, true));
                default:
                    Instant now = clock.instant();
                    execution.owner = config.instanceId();
                    execution.leaseExpiresAt = now.plus(config.lease().duration());
                    execution.moveTo(ExecutionState.RUNNING, now);
                    return Optional.of(new Claimed(execution.id, execution.kind, false));
            }
        });
    }

    private void run(Claimed claimed) {
        template.run(claimed.id(), work.of(claimed.kind()));
    }

    /** {@code refused}: answered at the claim (one execution per VM), nothing to run. */
    private record Claimed(UUID id, ExecutionKind kind, boolean refused) {
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            var thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}

package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.executor.ExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.repository.ExecutionRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Claims accepted executions (one database row lock each, so several executor replicas share the work) and runs
 * them on a bounded pool. Before the first claim after a start, executions this instance left RUNNING are resolved.
 */
@ApplicationScoped
public class RunAcceptedExecutions {

    private static final Logger LOG = Logger.getLogger(RunAcceptedExecutions.class);

    private final ExecutionRepository executions;
    private final BackupExecution backup;
    private final ResolveAbandonedExecutions abandoned;
    private final ExecutorConfig config;
    private final Clock clock;
    private final Semaphore freeWorkers;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(named("execution-dispatcher"));
    private final ExecutorService workers;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();

    RunAcceptedExecutions(ExecutionRepository executions, BackupExecution backup,
                          ResolveAbandonedExecutions abandoned, ExecutorConfig config, Clock clock) {
        this.executions = executions;
        this.backup = backup;
        this.abandoned = abandoned;
        this.config = config;
        this.clock = clock;
        this.freeWorkers = new Semaphore(config.workers());
        this.workers = Executors.newFixedThreadPool(config.workers(), named("execution-worker"));
    }

    void onStart(@Observes StartupEvent event) {
        abandoned.resolveOwnedBy(config.instanceId());
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

    @Scheduled(every = "${moonshot.executor.poll-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    private void claimWhileWorkersAreFree() {
        pending.set(false);
        try {
            while (freeWorkers.tryAcquire()) {
                Optional<UUID> claimed = QuarkusTransaction.requiringNew().call(this::claimOne);
                if (claimed.isEmpty()) {
                    freeWorkers.release();
                    return;
                }
                workers.execute(() -> {
                    try {
                        backup.run(claimed.get());
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "execution %s ended with an unexpected error", claimed.get());
                    } finally {
                        freeWorkers.release();
                        wake();
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not claim executions: %s", e.getMessage());
        }
    }

    private Optional<UUID> claimOne() {
        return executions.claimNextAccepted().map(execution -> {
            execution.owner = config.instanceId();
            execution.moveTo(ExecutionState.RUNNING, clock.instant());
            return execution.id;
        });
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            var thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}

package moonshot.executor.recover;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.executor.Interruption;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.lease.LiveExecutions;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.ExecutionRepository.TakenOver;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every {@code lease.heartbeat}, takes over the RUNNING executions whose lease has run out — an executor that never
 * came back, or stopped renewing, or one of this instance's own whose end could not be written — and answers each as a
 * restart would ({@link ResolveAbandonedExecutions}). Never one a thread of this instance is working on, even when its
 * lease ran out while the database was away. The takeover (owner and a fresh lease, rows other replicas hold skipped)
 * commits before the answer, so two replicas never both answer one execution.
 */
@ApplicationScoped
class ReclaimExpiredLeases {

    private static final Logger LOG = Logger.getLogger(ReclaimExpiredLeases.class);

    private final ExecutionRepository executions;
    private final ResolveAbandonedExecutions resolver;
    private final LiveExecutions live;
    private final ExecutorConfig config;
    private final Clock clock;

    ReclaimExpiredLeases(ExecutionRepository executions, ResolveAbandonedExecutions resolver, LiveExecutions live,
                         ExecutorConfig config, Clock clock) {
        this.executions = executions;
        this.resolver = resolver;
        this.live = live;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${moonshot.executor.lease.heartbeat:PT15S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reclaim() {
        if (!resolver.startedUp()) {
            return; // what this instance left before its start is answered as a restart first
        }
        Instant now = clock.instant();
        String me = config.instanceId();
        List<TakenOver> taken;
        try {
            taken = QuarkusTransaction.requiringNew().call(() -> executions.takeOverExpired(now, live.held(), me,
                    now.plus(config.lease().duration()), config.workers()));
        } catch (RuntimeException e) {
            LOG.warnf("could not look for expired leases: %s", e.getMessage());
            return;
        }
        for (TakenOver execution : taken) {
            LOG.warnf("taking over %s %s of %s from executor %s, whose lease expired %d ms ago (at %s)",
                    execution.kind().description(), execution.id(), execution.managementHost(),
                    execution.previousOwner(), Duration.between(execution.leaseExpiredAt(), now).toMillis(),
                    execution.leaseExpiredAt());
        }
        resolver.resolveAll(taken, execution -> Interruption.leaseExpired(execution.previousOwner(),
                execution.leaseExpiredAt(), me));
    }
}

package moonshot.executor.lease;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.repository.ExecutionRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The heartbeat: every {@code lease.heartbeat}, one UPDATE extends by {@code lease.duration} the leases of the
 * executions this instance is working on ({@link LiveExecutions}) that are still RUNNING under its name. One another
 * instance took over meanwhile is not renewed. A renewal that fails (the database is down) is logged and the next one
 * tries again; the work goes on meanwhile, and once the lease has run out its outcome is written only if nobody took
 * the execution over.
 */
@ApplicationScoped
class RenewLeases {

    private static final Logger LOG = Logger.getLogger(RenewLeases.class);

    private final ExecutionRepository executions;
    private final LiveExecutions live;
    private final ExecutorConfig config;
    private final Clock clock;

    RenewLeases(ExecutionRepository executions, LiveExecutions live, ExecutorConfig config, Clock clock) {
        this.executions = executions;
        this.live = live;
        this.config = config;
        this.clock = clock;
    }

    void checkSettings(@Observes StartupEvent event) {
        ExecutorConfig.Lease lease = config.lease();
        if (lease.heartbeat().isZero() || lease.heartbeat().isNegative()
                || lease.heartbeat().multipliedBy(2).compareTo(lease.duration()) > 0) {
            throw new IllegalStateException("moonshot.executor.lease.heartbeat (" + lease.heartbeat() + ") must be "
                    + "positive and at most half of moonshot.executor.lease.duration (" + lease.duration()
                    + "), so that one failed renewal does not lose a lease");
        }
    }

    @Scheduled(every = "${moonshot.executor.lease.heartbeat:PT15S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        Set<UUID> held = live.held();
        if (held.isEmpty()) {
            return;
        }
        Instant until = clock.instant().plus(config.lease().duration());
        try {
            QuarkusTransaction.requiringNew().run(() -> executions.renewLeases(config.instanceId(), held, until));
        } catch (RuntimeException e) {
            LOG.warnf("could not renew the leases of %d execution(s) (%s); trying again in %s", held.size(),
                    e.getMessage(), config.lease().heartbeat());
        }
    }
}

package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.scheduler.Restore;
import moonshot.scheduler.repository.RestoreRepository;
import moonshot.scheduler.saga.RestoreSaga;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Fails the restore steps that got no answer (from the executor or power-service) by their deadline, and their
 * restores with them, through {@link RestoreSaga#stepOverdue} under the restore's row lock, as a failed answer would:
 * the restore is FAILED with the reason (logged by the saga) and waits for an operator to retry or abandon it.
 */
@ApplicationScoped
public class FailOverdueRestoreSteps {

    private final RestoreRepository restores;
    private final RestoreSaga saga;

    FailOverdueRestoreSteps(RestoreRepository restores, RestoreSaga saga) {
        this.restores = restores;
        this.saga = saga;
    }

    @Transactional
    public List<UUID> due(Instant now, int limit) {
        return restores.withOverdueStep(now, limit);
    }

    /** @return whether this transaction failed the restore (false: it moved on, or another transaction holds it) */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean fail(UUID restoreId, Instant now) {
        Optional<Restore> overdue = restores.lockIfStepOverdue(restoreId, now);
        if (overdue.isEmpty()) {
            return false;
        }
        Restore restore = overdue.get();
        MDC.put("managementHost", restore.managementHost);
        MDC.put("restore", restore.id.toString());
        try {
            return saga.stepOverdue(restore, now);
        } finally {
            MDC.remove("managementHost");
            MDC.remove("restore");
        }
    }
}

package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.RunState;
import moonshot.scheduler.repository.BackupRunRepository;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Ends the backup runs the executor left without an answer past their deadline: the nodes without an outcome fail
 * with the reason and the run closes as any run does ({@link RecordNodeBackupOutcome#deadlinePassed}), so retention
 * and a ticket waiting for it react as to any failed run, and the host takes new backups again.
 */
@ApplicationScoped
public class ExpireOverdueRuns {

    private static final Logger LOG = Logger.getLogger(ExpireOverdueRuns.class);

    private final BackupRunRepository runs;
    private final RecordNodeBackupOutcome outcomes;

    ExpireOverdueRuns(BackupRunRepository runs, RecordNodeBackupOutcome outcomes) {
        this.runs = runs;
        this.outcomes = outcomes;
    }

    @Transactional
    public List<UUID> due(Instant now, int limit) {
        return runs.overdue(now, limit);
    }

    /** @return whether this transaction ended the run (false: it moved on, or another transaction holds it) */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean expire(UUID runId, Instant now) {
        Optional<BackupRun> overdue = runs.lockIfOverdue(runId, now);
        if (overdue.isEmpty()) {
            return false;
        }
        BackupRun run = overdue.get();
        MDC.put("managementHost", run.managementHost);
        MDC.put("run", run.id.toString());
        try {
            String reason = reason(run);
            LOG.warnf("run %s of %s (%s): %s; failing it", run.id, run.managementHost, run.state, reason);
            outcomes.deadlinePassed(run, reason);
            return true;
        } finally {
            MDC.remove("managementHost");
            MDC.remove("run");
        }
    }

    /** What the run waited for; a RUNNING run's deadline counts from when the scheduler learnt it started. */
    static String reason(BackupRun run) {
        if (run.state == RunState.QUEUED) {
            return "no answer from the executor within " + Duration.between(run.requestedAt, run.deadlineAt)
                    + " of the request (deadline " + run.deadlineAt + "): it never reported the backup started";
        }
        return "no answer from the executor by the run's deadline " + run.deadlineAt + " (started " + run.startedAt
                + "): no outcome for this node";
    }
}

package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.scheduler.Restore;
import moonshot.scheduler.repository.RestoreRepository;
import moonshot.scheduler.saga.RestoreSaga;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Applies the executor's and power-service's answers to the restore whose step sent the command, under the restore's
 * row lock, in the caller's transaction; {@link RestoreSaga} decides what they change.
 */
@ApplicationScoped
public class ApplyRestoreAnswers {

    private static final Logger LOG = Logger.getLogger(ApplyRestoreAnswers.class);

    private final RestoreRepository restores;
    private final RestoreSaga saga;
    private final Clock clock;

    ApplyRestoreAnswers(RestoreRepository restores, RestoreSaga saga, Clock clock) {
        this.restores = restores;
        this.saga = saga;
        this.clock = clock;
    }

    /** @return false when no restore step sent {@code sequenceId} (it may be a maintenance ticket's) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFinished(PowerSequenceFinished answer) {
        return apply(answer.sequenceId(), restore -> saga.powerSequenceFinished(restore, answer, clock.instant()));
    }

    /** @return false when no restore step sent {@code sequenceId} (it may be a maintenance ticket's) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFailed(PowerSequenceFailed answer) {
        return apply(answer.sequenceId(), restore -> saga.powerSequenceFailed(restore, answer, clock.instant()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void nodeRestored(NodeRestored answer) {
        if (!apply(answer.commandId(), restore -> saga.nodeRestored(restore, answer, clock.instant()))) {
            LOG.infof("no restore step sent command %s (NodeRestored %s %s); ignoring", answer.commandId(),
                    answer.role(), answer.vmName());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void nodeRestoreFailed(NodeRestoreFailed answer) {
        if (!apply(answer.commandId(), restore -> saga.nodeRestoreFailed(restore, answer, clock.instant()))) {
            LOG.infof("no restore step sent command %s (NodeRestoreFailed %s %s); ignoring", answer.commandId(),
                    answer.role(), answer.vmName());
        }
    }

    /** @return whether a restore's step sent {@code commandId} (whether or not it still waited for the answer) */
    private boolean apply(UUID commandId, Consumer<Restore> change) {
        Optional<Restore> found = restores.lockedByCommand(commandId);
        if (found.isEmpty()) {
            return false;
        }
        Restore restore = found.get();
        MDC.put("managementHost", restore.managementHost);
        MDC.put("restore", restore.id.toString());
        try {
            change.accept(restore);
            return true;
        } finally {
            MDC.remove("restore");
        }
    }
}

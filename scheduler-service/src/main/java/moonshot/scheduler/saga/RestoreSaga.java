package moonshot.scheduler.saga;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartPowerSequence;
import moonshot.scheduler.Restore;
import moonshot.scheduler.RestoreState;
import moonshot.scheduler.RestoreStep;
import moonshot.scheduler.RestoreStepKind;
import moonshot.scheduler.RestoreStepState;
import moonshot.scheduler.config.SchedulerConfig;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a restore does next, decided from its persisted state alone. Each method changes the restore and its steps and
 * asks {@link Effects} for the command that goes with the change; the caller holds the transaction (so the command
 * reaches the outbox with the state) and the restore's row lock, and says what time it is.
 *
 * <p>Rules: one step at a time, in order; a step is settled only by an answer to its own command (an answer to an
 * earlier attempt, to a step already settled, of the wrong kind, or to a restore that is no longer running changes
 * nothing); the next step is sent in the same change that settles the previous one; a failed step fails the restore
 * and the later steps stay PENDING until a retry sends the failed step again under a new command id. Nothing here
 * re-sends on its own: after a restart the step in flight keeps waiting for its answer, until the deadline it was
 * sent with; a step without an answer by then fails as a failed answer would fail it.
 */
@Singleton
public class RestoreSaga {

    private static final Logger LOG = Logger.getLogger(RestoreSaga.class);

    /** The commands a change of state sends (written to the outbox in the caller's transaction). */
    public interface Effects {
        void startPowerSequence(StartPowerSequence command);

        void restoreNode(RestoreNode command);
    }

    private final Duration stepDeadline;
    private final Effects effects;

    @Inject
    RestoreSaga(SchedulerConfig config, Effects effects) {
        this(config.deadline().restoreStep(), effects);
    }

    /** @param stepDeadline how long a sent step waits for its answer */
    public RestoreSaga(Duration stepDeadline, Effects effects) {
        this.stepDeadline = stepDeadline;
        this.effects = effects;
    }

    /** A newly recorded restore: its first step (the power-off) is sent. */
    public void start(Restore restore, Instant now) {
        send(restore, restore.steps.get(0), now);
    }

    /** A FAILED restore resumes at its failed step, under a new command id; the steps before it are not repeated. */
    public void retry(Restore restore, Instant now) {
        if (restore.state != RestoreState.FAILED) {
            throw new IllegalStateException("restore " + restore.id + " is " + restore.state + ", not FAILED");
        }
        send(restore, restore.currentStep().orElseThrow(), now);
    }

    /**
     * power-service finished the sequence a power step sent.
     *
     * @return false when no step waits for it (the answer is ignored)
     */
    public boolean powerSequenceFinished(Restore restore, PowerSequenceFinished answer, Instant now) {
        Optional<RestoreStep> waiting = waitingFor(restore, answer.sequenceId(), powerStep(answer.direction()),
                "PowerSequenceFinished " + answer.direction());
        waiting.ifPresent(step -> succeeded(restore, step, now));
        return waiting.isPresent();
    }

    /**
     * power-service halted the sequence a power step sent.
     *
     * @return false when no step waits for it (the answer is ignored)
     */
    public boolean powerSequenceFailed(Restore restore, PowerSequenceFailed answer, Instant now) {
        Optional<RestoreStep> waiting = waitingFor(restore, answer.sequenceId(), powerStep(answer.direction()),
                "PowerSequenceFailed " + answer.direction());
        waiting.ifPresent(step -> failed(restore, step, now, "the power-"
                + answer.direction().name().toLowerCase(Locale.ROOT) + " sequence halted at " + answer.step() + ": "
                + answer.reason()));
        return waiting.isPresent();
    }

    /**
     * The executor restored a node and reports what it found. The step succeeds only if that is the VM it expects
     * (name, vzdump VMID, the MACs captured at backup time); the executor verifies too, this is the saga's own check.
     *
     * @return false when no step waits for it (the answer is ignored)
     */
    public boolean nodeRestored(Restore restore, NodeRestored answer, Instant now) {
        Optional<RestoreStep> waiting = waitingFor(restore, answer.commandId(), RestoreStepKind.RESTORE_NODE,
                "NodeRestored " + answer.role());
        waiting.ifPresent(step -> {
            step.restoredVmId = answer.vmId();
            step.restoredMacs = answer.macs();
            mismatch(step, answer).ifPresentOrElse(reason -> failed(restore, step, now, reason),
                    () -> succeeded(restore, step, now));
        });
        return waiting.isPresent();
    }

    /**
     * The executor could not restore a node.
     *
     * @return false when no step waits for it (the answer is ignored)
     */
    public boolean nodeRestoreFailed(Restore restore, NodeRestoreFailed answer, Instant now) {
        Optional<RestoreStep> waiting = waitingFor(restore, answer.commandId(), RestoreStepKind.RESTORE_NODE,
                "NodeRestoreFailed " + answer.role());
        waiting.ifPresent(step -> failed(restore, step, now, answer.reason()));
        return waiting.isPresent();
    }

    /**
     * The clock's part: the step in flight got no answer by its deadline, so it fails, and the restore with it, with
     * the reason.
     *
     * @return false when no step of a running restore is overdue at {@code now}
     */
    public boolean stepOverdue(Restore restore, Instant now) {
        Optional<RestoreStep> overdue = restore.currentStep().filter(step -> restore.state.isRunning()
                && step.state == RestoreStepState.SENT && step.deadlineAt != null && !now.isBefore(step.deadlineAt));
        overdue.ifPresent(step -> failed(restore, step, now, "no answer from " + answerer(step) + " within "
                + Duration.between(step.sentAt, step.deadlineAt) + " (deadline " + step.deadlineAt + ")"));
        return overdue.isPresent();
    }

    // --- the moves --------------------------------------------------------------------------------------------

    /** Sends {@code step}'s command under a new command id and moves the restore to the step's state. */
    private void send(Restore restore, RestoreStep step, Instant now) {
        step.commandId = UUID.randomUUID();
        step.attempts++;
        step.moveTo(RestoreStepState.SENT, now);
        step.deadlineAt = now.plus(stepDeadline);
        RestoreState running = step.kind.runningState();
        if (restore.state != running) {
            restore.moveTo(running, now);
        }
        restore.updatedAt = now;
        restore.failedStep = null;
        restore.reason = null;
        String requestedBy = "restore " + restore.id;
        switch (step.kind) {
            case POWER_OFF -> effects.startPowerSequence(new StartPowerSequence(step.commandId,
                    restore.managementHost, PowerDirection.OFF, restore.includeHypervisor, requestedBy));
            case RESTORE_NODE -> effects.restoreNode(new RestoreNode(step.commandId, restore.id,
                    restore.managementHost, step.role, step.vmName, step.vzdumpVmid, step.artifactPath,
                    step.expectedMacs));
            case POWER_ON -> effects.startPowerSequence(new StartPowerSequence(step.commandId,
                    restore.managementHost, PowerDirection.ON, restore.includeHypervisor, requestedBy));
        }
        LOG.infof("restore %s of %s: %s sent (command %s%s)", restore.id, restore.managementHost, step.label(),
                step.commandId, step.attempts > 1 ? ", attempt " + step.attempts : "");
    }

    private void succeeded(Restore restore, RestoreStep step, Instant now) {
        step.moveTo(RestoreStepState.SUCCEEDED, now);
        LOG.infof("restore %s of %s: %s succeeded", restore.id, restore.managementHost, step.label());
        Optional<RestoreStep> next = restore.currentStep();
        if (next.isPresent()) {
            send(restore, next.get(), now);
        } else {
            restore.moveTo(RestoreState.SUCCEEDED, now);
            LOG.infof("restore %s of %s succeeded: %s restored and powered on", restore.id, restore.managementHost,
                    restore.restoredNodes);
        }
    }

    private void failed(Restore restore, RestoreStep step, Instant now, String reason) {
        step.reason = reason;
        step.moveTo(RestoreStepState.FAILED, now);
        restore.moveTo(RestoreState.FAILED, now);
        restore.failedStep = step.number;
        restore.reason = step.label() + " failed: " + reason;
        LOG.warnf("restore %s of %s failed at %s: %s; retry or abandon it", restore.id, restore.managementHost,
                step.label(), reason);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** The step that sent {@code commandId}, if it is of the kind this answer settles and still waits for it. */
    private static Optional<RestoreStep> waitingFor(Restore restore, UUID commandId, RestoreStepKind kind,
                                                    String what) {
        Optional<RestoreStep> sender = restore.steps.stream().filter(s -> commandId.equals(s.commandId)).findFirst();
        if (sender.isEmpty()) {
            LOG.infof("restore %s: no step sent command %s (%s); ignoring", restore.id, commandId, what);
            return Optional.empty();
        }
        RestoreStep step = sender.get();
        if (step.kind != kind) {
            LOG.warnf("restore %s: a %s answer for %s; ignoring", restore.id, what, step.label());
            return Optional.empty();
        }
        if (step.state != RestoreStepState.SENT || !restore.state.isRunning()) {
            LOG.infof("restore %s (%s): %s for %s, which is already %s; ignoring", restore.id, restore.state, what,
                    step.label(), step.state);
            return Optional.empty();
        }
        return sender;
    }

    /** Who owes the step its answer, and for which command. */
    private static String answerer(RestoreStep step) {
        return switch (step.kind) {
            case POWER_OFF -> "power-service to power-off sequence " + step.commandId;
            case RESTORE_NODE -> "the executor to RestoreNode " + step.commandId;
            case POWER_ON -> "power-service to power-on sequence " + step.commandId;
        };
    }

    private static RestoreStepKind powerStep(PowerDirection direction) {
        return direction == PowerDirection.OFF ? RestoreStepKind.POWER_OFF : RestoreStepKind.POWER_ON;
    }

    /** What the executor reports against what the step expects. */
    private static Optional<String> mismatch(RestoreStep step, NodeRestored answer) {
        if (!step.vmName.equals(answer.vmName())) {
            return Optional.of("the restored VM is named " + answer.vmName() + ", expected " + step.vmName);
        }
        if (step.vzdumpVmid != null && answer.vmId() != null && !answer.vmId().equals(step.vzdumpVmid.toString())) {
            return Optional.of(step.vmName + " was restored as VM id " + answer.vmId() + ", expected VMID "
                    + step.vzdumpVmid);
        }
        if (step.expectedMacs != null && !step.expectedMacs.isEmpty()
                && !normalised(step.expectedMacs).equals(normalised(answer.macs()))) {
            return Optional.of(step.vmName + " came back with MACs " + answer.macs() + ", expected "
                    + step.expectedMacs + " as captured at backup time");
        }
        return Optional.empty();
    }

    private static Set<String> normalised(List<String> macs) {
        return macs == null ? Set.of() : macs.stream().map(m -> m.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }
}

package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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
import moonshot.scheduler.messaging.ExecutorCommands;
import moonshot.scheduler.messaging.PowerCommands;
import moonshot.scheduler.repository.RestoreRepository;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Drives a restore's steps one at a time: sends a step's command (through the outbox, in the transaction that moves
 * the state), waits for the answer to that command id, then sends the next step. An answer for an unknown command,
 * an already finished step or a restore that is no longer running changes nothing. Nothing is sent at start-up: a
 * step in flight keeps waiting for its answer, so a restart never repeats a command.
 */
@ApplicationScoped
public class RestoreSaga {

    private static final Logger LOG = Logger.getLogger(RestoreSaga.class);

    private final RestoreRepository restores;
    private final PowerCommands power;
    private final ExecutorCommands executor;
    private final Clock clock;

    RestoreSaga(RestoreRepository restores, PowerCommands power, ExecutorCommands executor, Clock clock) {
        this.restores = restores;
        this.power = power;
        this.executor = executor;
        this.clock = clock;
    }

    /** Sends {@code step}'s command under a new command id and moves the restore to the step's state. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void send(Restore restore, RestoreStep step) {
        step.commandId = UUID.randomUUID();
        step.attempts++;
        step.moveTo(RestoreStepState.SENT, clock.instant());
        RestoreState running = step.kind.runningState();
        if (restore.state != running) {
            restore.moveTo(running, clock.instant());
        }
        restore.updatedAt = clock.instant();
        restore.failedStep = null;
        restore.reason = null;
        String requestedBy = "restore " + restore.id;
        switch (step.kind) {
            case POWER_OFF -> power.startPowerSequence(new StartPowerSequence(step.commandId, restore.managementHost,
                    PowerDirection.OFF, restore.includeHypervisor, requestedBy));
            case RESTORE_NODE -> executor.restoreNode(new RestoreNode(step.commandId, restore.id,
                    restore.managementHost, step.role, step.vmName, step.vzdumpVmid, step.artifactPath,
                    step.expectedMacs));
            case POWER_ON -> power.startPowerSequence(new StartPowerSequence(step.commandId, restore.managementHost,
                    PowerDirection.ON, restore.includeHypervisor, requestedBy));
        }
        LOG.infof("restore %s of %s: %s sent (command %s%s)", restore.id, restore.managementHost, step.label(),
                step.commandId, step.attempts > 1 ? ", attempt " + step.attempts : "");
    }

    /** @return false when no restore step sent {@code sequenceId} (it may be a maintenance ticket's) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFinished(PowerSequenceFinished answer) {
        return answer(answer.sequenceId(), "PowerSequenceFinished " + answer.direction(), (restore, step) -> {
            if (!matches(step, answer.direction())) {
                return;
            }
            succeeded(restore, step);
        });
    }

    /** @return false when no restore step sent {@code sequenceId} (it may be a maintenance ticket's) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFailed(PowerSequenceFailed answer) {
        return answer(answer.sequenceId(), "PowerSequenceFailed " + answer.direction(), (restore, step) -> {
            if (!matches(step, answer.direction())) {
                return;
            }
            failed(restore, step, "the power-" + answer.direction().name().toLowerCase(Locale.ROOT)
                    + " sequence halted at " + answer.step() + ": " + answer.reason());
        });
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void nodeRestored(NodeRestored answer) {
        boolean known = answer(answer.commandId(), "NodeRestored " + answer.role(), (restore, step) -> {
            step.restoredVmId = answer.vmId();
            step.restoredMacs = answer.macs();
            Optional<String> mismatch = mismatch(step, answer);
            if (mismatch.isPresent()) {
                failed(restore, step, mismatch.get());
            } else {
                succeeded(restore, step);
            }
        });
        if (!known) {
            LOG.infof("no restore step sent command %s (NodeRestored %s %s); ignoring", answer.commandId(),
                    answer.role(), answer.vmName());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void nodeRestoreFailed(NodeRestoreFailed answer) {
        boolean known = answer(answer.commandId(), "NodeRestoreFailed " + answer.role(),
                (restore, step) -> failed(restore, step, answer.reason()));
        if (!known) {
            LOG.infof("no restore step sent command %s (NodeRestoreFailed %s %s); ignoring", answer.commandId(),
                    answer.role(), answer.vmName());
        }
    }

    /** Applies an answer to the step that sent {@code commandId}, if that step still waits for it. */
    private boolean answer(UUID commandId, String what, BiConsumer<Restore, RestoreStep> apply) {
        Optional<Restore> found = restores.lockedByCommand(commandId);
        if (found.isEmpty()) {
            return false;
        }
        Restore restore = found.get();
        MDC.put("managementHost", restore.managementHost);
        MDC.put("restore", restore.id.toString());
        try {
            RestoreStep step = restore.steps.stream().filter(s -> commandId.equals(s.commandId)).findFirst()
                    .orElseThrow();
            if (step.state != RestoreStepState.SENT || !restore.state.isRunning()) {
                LOG.infof("restore %s (%s): %s for %s, which is already %s; ignoring", restore.id, restore.state,
                        what, step.label(), step.state);
                return true;
            }
            apply.accept(restore, step);
            return true;
        } finally {
            MDC.remove("restore");
        }
    }

    private boolean matches(RestoreStep step, PowerDirection direction) {
        RestoreStepKind expected = direction == PowerDirection.OFF ? RestoreStepKind.POWER_OFF
                : RestoreStepKind.POWER_ON;
        if (step.kind != expected) {
            LOG.warnf("restore %s: a power-%s answer for %s; ignoring", step.restore.id, direction, step.label());
            return false;
        }
        return true;
    }

    private void succeeded(Restore restore, RestoreStep step) {
        step.moveTo(RestoreStepState.SUCCEEDED, clock.instant());
        LOG.infof("restore %s of %s: %s succeeded", restore.id, restore.managementHost, step.label());
        Optional<RestoreStep> next = restore.currentStep();
        if (next.isPresent()) {
            send(restore, next.get());
        } else {
            restore.moveTo(RestoreState.SUCCEEDED, clock.instant());
            LOG.infof("restore %s of %s succeeded: %s restored and powered on", restore.id, restore.managementHost,
                    restore.restoredNodes);
        }
    }

    private void failed(Restore restore, RestoreStep step, String reason) {
        step.reason = reason;
        step.moveTo(RestoreStepState.FAILED, clock.instant());
        restore.moveTo(RestoreState.FAILED, clock.instant());
        restore.failedStep = step.number;
        restore.reason = step.label() + " failed: " + reason;
        LOG.warnf("restore %s of %s failed at %s: %s; retry or abandon it", restore.id, restore.managementHost,
                step.label(), reason);
    }

    /** What the executor reports against what the step expects (it verifies too; this is the saga's own check). */
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

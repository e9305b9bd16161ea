package moonshot.power.saga;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.PowerAction;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerHypervisor;
import moonshot.contract.PowerNode;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.power.PowerSequence;
import moonshot.power.PowerSequenceStep;
import moonshot.power.SequenceState;
import moonshot.power.StepKind;
import moonshot.power.StepState;
import moonshot.power.config.PowerConfig;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What a power sequence does next, decided from its persisted state alone. Each method changes the sequence and its
 * steps and asks {@link Effects} for the messages that go with the change; the caller holds the transaction (so the
 * messages reach the outbox with the state) and the sequence's row lock, and says what time it is.
 *
 * <p>Rules: one power command in flight per sequence; a step is confirmed only by an answer to its own command in
 * flight (late answers to an earlier command are ignored); the next step starts in the same change that confirms the
 * previous one; a timeout or a failure halts the sequence at that step and the later steps stay PENDING. Nothing here
 * re-sends a command: after a restart the state says a command is in flight, and the step waits for its answer until
 * its deadline.
 */
@Singleton
public class PowerSequenceSaga {

    private static final Logger LOG = Logger.getLogger(PowerSequenceSaga.class);

    /** The messages a change of state sends (written to the outbox in the caller's transaction). */
    public interface Effects {
        void powerNode(PowerNode command);

        void checkHypervisor(CheckHypervisor command);

        void powerHypervisor(PowerHypervisor request);

        void sequenceSucceeded(PowerSequenceFinished event);

        void sequenceFailed(PowerSequenceFailed event);
    }

    /** The node-status events received so far. */
    public interface NodeStatuses {
        /** When a Deployed status of this VM was received at or after {@code since}, if one was. */
        Optional<Instant> deployedSince(String managementHost, String vmName, Instant since);
    }

    /** The deadlines per kind of step ({@link PowerConfig}). */
    public record Timing(Duration shutdownGrace, Duration powerOffTimeout, Duration powerOnTimeout,
                         Duration deployedTimeout, Duration hypervisorTimeout, Duration checkInterval,
                         Duration answerMargin) {
        public static Timing of(PowerConfig config) {
            return new Timing(config.shutdownGrace(), config.powerOffTimeout(), config.powerOnTimeout(),
                    config.deployedTimeout(), config.hypervisorTimeout(), config.checkInterval(),
                    config.answerMargin());
        }
    }

    private final Timing timing;
    private final Effects effects;
    private final NodeStatuses statuses;

    @Inject
    PowerSequenceSaga(PowerConfig config, Effects effects, NodeStatuses statuses) {
        this(Timing.of(config), effects, statuses);
    }

    public PowerSequenceSaga(Timing timing, Effects effects, NodeStatuses statuses) {
        this.timing = timing;
        this.effects = effects;
        this.statuses = statuses;
    }

    /** QUEUED → RUNNING, and the first step's command. */
    public void start(PowerSequence sequence, Instant now) {
        sequence.moveTo(SequenceState.RUNNING, now);
        LOG.infof("power sequence %s of %s started: %s%s", sequence.id, sequence.managementHost, sequence.direction,
                sequence.includeHypervisor ? " with the hypervisor" : "");
        begin(sequence, sequence.steps.get(0), now);
    }

    /**
     * The executor observed a node's power state after a PowerNode.
     *
     * @return false when the answer is not for the command in flight (it is ignored)
     */
    public boolean nodeObserved(PowerSequence sequence, NodePowerObserved answer, Instant now) {
        Optional<PowerSequenceStep> inFlight = commandInFlight(sequence, answer.commandId());
        if (inFlight.isEmpty()) {
            return ignored(sequence, answer.commandId(), "NodePowerObserved " + answer.powerState());
        }
        PowerSequenceStep step = inFlight.get();
        MDC.put("node", step.vmName);
        step.observedAt = answer.observedAt() != null ? answer.observedAt() : now;
        String observed = answer.powerState().trim().toUpperCase(Locale.ROOT);
        LOG.infof("step %d %s (%s): %s observed %s", step.position, step.target, step.vmName, step.action, observed);
        if (!observed.equals("ON") && !observed.equals("OFF")) {
            fail(sequence, step, now, describe(step) + ": the executor reported power state '" + answer.powerState()
                    + "' after " + step.action + " (expected ON or OFF)");
            return true;
        }
        switch (step.state) {
            case SHUTTING_DOWN -> {
                if (observed.equals("OFF")) {
                    confirm(sequence, step, now, "OFF after a graceful shutdown");
                } else {
                    escalate(sequence, step, now, "the graceful shutdown left it ON");
                }
            }
            case POWERING_OFF -> {
                if (observed.equals("OFF")) {
                    confirm(sequence, step, now, appendTo(step.message, "OFF after a hard power-off"));
                } else {
                    fail(sequence, step, now, describe(step) + " is still ON after a hard power-off");
                }
            }
            case POWERING_ON -> {
                if (observed.equals("OFF")) {
                    fail(sequence, step, now, describe(step) + " is still OFF after power-on");
                } else if (step.kind == StepKind.POWER_ON_NODE_UNTIL_DEPLOYED) {
                    awaitDeployed(sequence, step, now);
                } else {
                    confirm(sequence, step, now, "ON");
                }
            }
            default -> throw new IllegalStateException("no command in flight in state " + step.state);
        }
        return true;
    }

    /**
     * The executor could not carry a PowerNode out. A failed graceful shutdown escalates to a hard power-off (that is
     * what the hard power-off is for); any other failure halts the sequence.
     *
     * @return false when the answer is not for the command in flight (it is ignored)
     */
    public boolean nodeFailed(PowerSequence sequence, NodePowerFailed answer, Instant now) {
        Optional<PowerSequenceStep> inFlight = commandInFlight(sequence, answer.commandId());
        if (inFlight.isEmpty()) {
            return ignored(sequence, answer.commandId(), "NodePowerFailed");
        }
        PowerSequenceStep step = inFlight.get();
        MDC.put("node", step.vmName);
        if (step.state == StepState.SHUTTING_DOWN) {
            escalate(sequence, step, now, "the graceful shutdown failed: " + answer.reason());
        } else {
            fail(sequence, step, now, describe(step) + ": " + step.action + " failed: " + answer.reason());
        }
        return true;
    }

    /**
     * The executor's answer to a CheckHypervisor.
     *
     * @return false when it is not the answer to the check in flight (it is ignored)
     */
    public boolean hypervisorChecked(PowerSequence sequence, HypervisorChecked answer, Instant now) {
        Optional<PowerSequenceStep> current = current(sequence)
                .filter(s -> s.state == StepState.AWAITING_HYPERVISOR && answer.commandId().equals(s.checkId));
        if (current.isEmpty()) {
            return ignored(sequence, answer.commandId(), "HypervisorChecked");
        }
        PowerSequenceStep step = current.get();
        MDC.put("node", step.vmName);
        boolean wanted = sequence.direction == PowerDirection.OFF ? !answer.reachable() : answer.reachable();
        String seen = (answer.reachable() ? "answering" : "not answering")
                + (answer.message() == null || answer.message().isBlank() ? "" : " (" + answer.message() + ")");
        if (wanted) {
            confirm(sequence, step, now, "hypervisor " + seen + " after " + step.checks + " check(s)");
        } else {
            step.checkId = null;
            step.nextCheckAt = now.plus(timing.checkInterval());
            step.message = "check " + step.checks + ": hypervisor still " + seen;
            LOG.debugf("hypervisor %s of %s still %s", step.vmName, sequence.managementHost, seen);
        }
        return true;
    }

    /**
     * A Deployed node-status for {@code vmName} was received at {@code receivedAt}. It confirms the step waiting for
     * that VM only if it was received after the step's power-on was commanded.
     *
     * @return whether it confirmed a step
     */
    public boolean deployedReported(PowerSequence sequence, String vmName, Instant receivedAt, Instant now) {
        Optional<PowerSequenceStep> waiting = current(sequence)
                .filter(s -> s.state == StepState.AWAITING_DEPLOYED && s.vmName.equals(vmName)
                        && !receivedAt.isBefore(s.commandedAt));
        waiting.ifPresent(step -> {
            MDC.put("node", step.vmName);
            confirm(sequence, step, now, "Deployed (node-status received at " + receivedAt + ")");
        });
        return waiting.isPresent();
    }

    /** The answer of a readiness probe asked for the step {@code stepId} while its command was {@code commandId}. */
    public boolean probed(PowerSequence sequence, UUID stepId, UUID commandId, boolean answered, String detail,
                          Instant now) {
        Optional<PowerSequenceStep> waiting = current(sequence)
                .filter(s -> s.id.equals(stepId) && s.state == StepState.AWAITING_DEPLOYED
                        && commandId.equals(s.commandId));
        if (waiting.isEmpty()) {
            return false;
        }
        PowerSequenceStep step = waiting.get();
        MDC.put("node", step.vmName);
        step.checks++;
        if (answered) {
            confirm(sequence, step, now, "Deployed (readiness probe " + step.readinessProbe + " answered: " + detail + ")");
        } else {
            step.nextCheckAt = now.plus(timing.checkInterval());
            step.message = "ON; waiting for Deployed (readiness probe: " + detail + ")";
        }
        return true;
    }

    /** Looks at the clock: a passed deadline escalates or fails the step; a due hypervisor check is sent. */
    public void tick(PowerSequence sequence, Instant now) {
        Optional<PowerSequenceStep> current = current(sequence).filter(s -> s.state.isInProgress());
        if (current.isEmpty()) {
            return;
        }
        PowerSequenceStep step = current.get();
        MDC.put("node", step.vmName);
        if (step.deadline != null && !now.isBefore(step.deadline)) {
            timedOut(sequence, step, now);
        } else if (step.state == StepState.AWAITING_HYPERVISOR && step.nextCheckAt != null
                && !now.isBefore(step.nextCheckAt)) {
            checkHypervisor(sequence, step, now);
        }
    }

    /** What the sequence is waiting for, for the log after a restart. */
    public static String waitingFor(PowerSequence sequence) {
        return sequence.currentStep().map(step -> "step " + step.position + " " + step.target + " (" + step.vmName
                + ") " + step.state + (step.commandId == null ? "" : ", command " + step.action + " " + step.commandId
                + " sent at " + step.commandedAt) + ", deadline " + step.deadline).orElse("nothing");
    }

    // --- the moves --------------------------------------------------------------------------------------------

    private void begin(PowerSequence sequence, PowerSequenceStep step, Instant now) {
        MDC.put("node", step.vmName);
        step.startedAt = now;
        switch (step.kind) {
            case SHUT_DOWN_NODE -> sendPowerNode(sequence, step, StepState.SHUTTING_DOWN, PowerAction.SHUTDOWN,
                    timing.shutdownGrace(), now);
            case POWER_ON_NODE, POWER_ON_NODE_UNTIL_DEPLOYED -> sendPowerNode(sequence, step, StepState.POWERING_ON,
                    PowerAction.POWER_ON, timing.powerOnTimeout(), now);
            case HYPERVISOR_OFF, HYPERVISOR_ON -> {
                step.moveTo(StepState.AWAITING_HYPERVISOR);
                step.commandedAt = now;
                step.deadline = now.plus(timing.hypervisorTimeout());
                step.nextCheckAt = now.plus(timing.checkInterval());
                effects.powerHypervisor(new PowerHypervisor(sequence.id, sequence.managementHost, step.vmName,
                        sequence.direction));
                LOG.infof("step %d: hypervisor %s power %s requested out of band; checking every %s until it %s",
                        step.position, step.vmName, sequence.direction, timing.checkInterval(),
                        sequence.direction == PowerDirection.OFF ? "no longer answers" : "answers");
            }
        }
    }

    private void sendPowerNode(PowerSequence sequence, PowerSequenceStep step, StepState state, PowerAction action,
                               Duration timeout, Instant now) {
        step.moveTo(state);
        step.action = action;
        step.commandId = UUID.randomUUID();
        step.commandedAt = now;
        step.observedAt = null;
        step.deadline = now.plus(timeout).plus(timing.answerMargin());
        effects.powerNode(new PowerNode(step.commandId, sequence.id, sequence.managementHost, step.role(),
                step.vmName, action, seconds(timeout)));
        LOG.infof("step %d %s (%s): %s sent (command %s, timeout %s)", step.position, step.target, step.vmName, action,
                step.commandId, timeout);
    }

    private void escalate(PowerSequence sequence, PowerSequenceStep step, Instant now, String why) {
        LOG.warnf("step %d %s (%s): %s; powering it off hard", step.position, step.target, step.vmName, why);
        step.message = why + "; hard power-off";
        sendPowerNode(sequence, step, StepState.POWERING_OFF, PowerAction.POWER_OFF, timing.powerOffTimeout(), now);
    }

    private void awaitDeployed(PowerSequence sequence, PowerSequenceStep step, Instant now) {
        step.moveTo(StepState.AWAITING_DEPLOYED);
        step.deadline = now.plus(timing.deployedTimeout());
        step.nextCheckAt = step.readinessProbe == null ? null : now;
        step.message = "ON; waiting for Deployed";
        Optional<Instant> deployed = statuses.deployedSince(sequence.managementHost, step.vmName, step.commandedAt);
        if (deployed.isPresent()) {
            confirm(sequence, step, now, "Deployed (node-status received at " + deployed.get() + ")");
        } else {
            LOG.infof("step %d %s (%s) is ON; waiting up to %s for Deployed (node-status%s)", step.position,
                    step.target, step.vmName, timing.deployedTimeout(),
                    step.readinessProbe == null ? "" : " or readiness probe " + step.readinessProbe);
        }
    }

    private void checkHypervisor(PowerSequence sequence, PowerSequenceStep step, Instant now) {
        if (step.checkId != null) {
            LOG.warnf("hypervisor check %s sent at %s is unanswered; checking again", step.checkId, step.checkSentAt);
        }
        step.checkId = UUID.randomUUID();
        step.checkSentAt = now;
        step.checks++;
        // If no answer comes, check again once the answer is overdue.
        step.nextCheckAt = now.plus(timing.checkInterval()).plus(timing.answerMargin());
        effects.checkHypervisor(new CheckHypervisor(step.checkId, sequence.id, sequence.managementHost));
    }

    private void timedOut(PowerSequence sequence, PowerSequenceStep step, Instant now) {
        switch (step.state) {
            case SHUTTING_DOWN -> escalate(sequence, step, now,
                    "the graceful shutdown did not reach OFF within " + timing.shutdownGrace());
            case POWERING_OFF -> fail(sequence, step, now, describe(step) + " was not observed OFF within "
                    + timing.powerOffTimeout() + " of a hard power-off (" + answerState(step) + ")");
            case POWERING_ON -> fail(sequence, step, now, describe(step) + " was not observed ON within "
                    + timing.powerOnTimeout() + " of power-on (" + answerState(step) + ")");
            case AWAITING_DEPLOYED -> fail(sequence, step, now, describe(step) + " was not Deployed within "
                    + timing.deployedTimeout() + " of being ON (no Deployed node-status since " + step.commandedAt
                    + (step.readinessProbe == null ? "" : "; " + step.message) + ")");
            case AWAITING_HYPERVISOR -> fail(sequence, step, now, "hypervisor " + step.vmName + " still "
                    + (sequence.direction == PowerDirection.OFF ? "answering" : "not answering") + " "
                    + timing.hypervisorTimeout() + " after its power " + sequence.direction + " was requested ("
                    + step.checks + " check(s))");
            default -> throw new IllegalStateException("no deadline in state " + step.state);
        }
    }

    private void confirm(PowerSequence sequence, PowerSequenceStep step, Instant now, String message) {
        step.moveTo(StepState.CONFIRMED);
        step.confirmedAt = now;
        step.message = message;
        step.nextCheckAt = null;
        step.checkId = null;
        LOG.infof("step %d %s (%s) confirmed: %s", step.position, step.target, step.vmName, message);
        Optional<PowerSequenceStep> next = sequence.nextAfter(step);
        if (next.isPresent()) {
            begin(sequence, next.get(), now);
        } else {
            sequence.moveTo(SequenceState.SUCCEEDED, now);
            effects.sequenceSucceeded(new PowerSequenceFinished(sequence.id, sequence.managementHost,
                    sequence.direction));
            LOG.infof("power sequence %s of %s (%s) succeeded", sequence.id, sequence.managementHost,
                    sequence.direction);
        }
    }

    private void fail(PowerSequence sequence, PowerSequenceStep step, Instant now, String reason) {
        step.moveTo(StepState.FAILED);
        step.message = reason;
        step.nextCheckAt = null;
        step.checkId = null;
        sequence.failedStep = step.target;
        sequence.reason = reason;
        sequence.moveTo(SequenceState.FAILED, now);
        effects.sequenceFailed(new PowerSequenceFailed(sequence.id, sequence.managementHost, sequence.direction,
                step.target, reason));
        LOG.errorf("power sequence %s of %s (%s) halted at step %d %s: %s; later steps were not started",
                sequence.id, sequence.managementHost, sequence.direction, step.position, step.target, reason);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static Optional<PowerSequenceStep> current(PowerSequence sequence) {
        return sequence.state == SequenceState.RUNNING ? sequence.currentStep() : Optional.empty();
    }

    private static Optional<PowerSequenceStep> commandInFlight(PowerSequence sequence, UUID commandId) {
        return current(sequence).filter(s -> commandId.equals(s.commandId) && (s.state == StepState.SHUTTING_DOWN
                || s.state == StepState.POWERING_OFF || s.state == StepState.POWERING_ON));
    }

    private static boolean ignored(PowerSequence sequence, UUID commandId, String what) {
        LOG.infof("%s for command %s ignored: not the command in flight of sequence %s (now %s)", what, commandId,
                sequence.id, sequence.state == SequenceState.RUNNING ? waitingFor(sequence) : sequence.state);
        return false;
    }

    private static String describe(PowerSequenceStep step) {
        return step.target + " (" + step.vmName + ")";
    }

    private static String answerState(PowerSequenceStep step) {
        return "no answer from the executor to command " + step.commandId;
    }

    private static String appendTo(String previous, String message) {
        return previous == null ? message : previous + "; " + message;
    }

    /** The executor's timeout in whole seconds, rounded up, at least one. */
    static long seconds(Duration timeout) {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }
}

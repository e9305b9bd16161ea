package moonshot.power.saga;

import moonshot.contract.CheckHypervisor;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerHypervisor;
import moonshot.contract.PowerNode;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.power.PowerOrder;
import moonshot.power.PowerSequence;
import moonshot.power.PowerSequenceStep;
import moonshot.power.PowerStep;
import moonshot.power.SequenceState;
import moonshot.power.StepState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The saga's decisions on plain objects, with time given by the test. */
class PowerSequenceSagaTest {

    static final Duration GRACE = Duration.ofMinutes(2);
    static final Duration MARGIN = Duration.ofSeconds(30);
    static final PowerSequenceSaga.Timing TIMING = new PowerSequenceSaga.Timing(GRACE, Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofSeconds(5), MARGIN);
    static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");

    final List<Object> sent = new ArrayList<>();
    final Map<String, Instant> deployed = new HashMap<>();
    final PowerSequenceSaga saga = new PowerSequenceSaga(TIMING, new PowerSequenceSaga.Effects() {
        public void powerNode(PowerNode command) {
            sent.add(command);
        }

        public void checkHypervisor(CheckHypervisor command) {
            sent.add(command);
        }

        public void powerHypervisor(PowerHypervisor request) {
            sent.add(request);
        }

        public void sequenceSucceeded(PowerSequenceFinished event) {
            sent.add(event);
        }

        public void sequenceFailed(PowerSequenceFailed event) {
            sent.add(event);
        }
    }, (host, vm, since) -> Optional.ofNullable(deployed.get(vm)).filter(at -> !at.isBefore(since)));

    @Test
    void powersOffBaremetalThenControllerThenAdminEachOnlyAfterThePreviousIsOff() {
        PowerSequence sequence = sequence(PowerDirection.OFF, false);
        saga.start(sequence, T0);
        assertEquals(List.of("BAREMETAL SHUTDOWN"), commands());

        Instant t = T0;
        for (String next : List.of("CONTROLLER", "ADMIN")) {
            t = t.plusSeconds(10);
            int before = commands().size();
            saga.tick(sequence, t);
            assertEquals(before, commands().size(), "nothing more is sent while a command is in flight");
            answer(sequence, "OFF", t);
            assertEquals(next + " SHUTDOWN", commands().get(commands().size() - 1));
        }
        answer(sequence, "OFF", t.plusSeconds(10));
        assertEquals(List.of("BAREMETAL SHUTDOWN", "CONTROLLER SHUTDOWN", "ADMIN SHUTDOWN"), commands());
        assertEquals(SequenceState.SUCCEEDED, sequence.state);
        assertTrue(sent.get(sent.size() - 1) instanceof PowerSequenceFinished);
    }

    @Test
    void aGracefulShutdownThatDoesNotReachOffInTimeEscalatesToAHardPowerOffAndIgnoresItsLateAnswer() {
        PowerSequence sequence = sequence(PowerDirection.OFF, false);
        saga.start(sequence, T0);
        UUID shutdown = sequence.steps.get(0).commandId;
        saga.tick(sequence, T0.plus(GRACE));
        assertEquals(1, commands().size(), "the executor still has its grace period plus the margin to answer");
        saga.tick(sequence, T0.plus(GRACE).plus(MARGIN));
        assertEquals(List.of("BAREMETAL SHUTDOWN", "BAREMETAL POWER_OFF"), commands());
        PowerSequenceStep step = sequence.steps.get(0);
        assertEquals(StepState.POWERING_OFF, step.state);

        assertFalse(saga.nodeObserved(sequence, observed(sequence, shutdown, "OFF"), T0.plusSeconds(200)),
                "a late answer to the superseded shutdown is not the command in flight");
        assertEquals(StepState.POWERING_OFF, step.state);
        answer(sequence, "OFF", T0.plusSeconds(201));
        assertEquals(StepState.CONFIRMED, step.state);
        assertEquals("CONTROLLER SHUTDOWN", commands().get(2));
    }

    @Test
    void aShutdownObservedStillOnOrFailedEscalatesAtOnce() {
        PowerSequence sequence = sequence(PowerDirection.OFF, false);
        saga.start(sequence, T0);
        answer(sequence, "ON", T0.plusSeconds(120));
        assertEquals("BAREMETAL POWER_OFF", commands().get(1));

        PowerSequence other = sequence(PowerDirection.OFF, false);
        saga.start(other, T0);
        PowerSequenceStep step = other.steps.get(0);
        saga.nodeFailed(other, new NodePowerFailed(step.commandId, other.id, "mh", NodeRole.BAREMETAL, "Bm",
                "VMware Tools not running"), T0.plusSeconds(1));
        assertEquals(StepState.POWERING_OFF, step.state);
        assertTrue(step.message.contains("VMware Tools not running"));
    }

    @Test
    void aFailureHaltsTheSequenceAtThatStepAndTheLaterStepsStayPending() {
        PowerSequence sequence = sequence(PowerDirection.OFF, false);
        saga.start(sequence, T0);
        answer(sequence, "OFF", T0.plusSeconds(1));
        PowerSequenceStep controller = sequence.steps.get(1);
        answer(sequence, "ON", T0.plusSeconds(2)); // shutdown left it on: hard power-off
        saga.nodeFailed(sequence, new NodePowerFailed(controller.commandId, sequence.id, "mh", NodeRole.CONTROLLER,
                "Ctrl", "vim-cmd: connection refused"), T0.plusSeconds(3));

        assertEquals(SequenceState.FAILED, sequence.state);
        assertEquals("CONTROLLER", sequence.failedStep);
        assertEquals(StepState.FAILED, controller.state);
        assertEquals(StepState.PENDING, sequence.steps.get(2).state);
        assertNull(sequence.steps.get(2).commandId);
        var failed = (PowerSequenceFailed) sent.get(sent.size() - 1);
        assertEquals("CONTROLLER", failed.step());
        assertTrue(failed.reason().contains("connection refused"), failed.reason());
        saga.tick(sequence, T0.plus(Duration.ofHours(1)));
        assertEquals(List.of("BAREMETAL SHUTDOWN", "CONTROLLER SHUTDOWN", "CONTROLLER POWER_OFF"), commands());
    }

    @Test
    void ticksBeforeTheDeadlineNeverSendTheCommandInFlightAgain() {
        PowerSequence sequence = sequence(PowerDirection.ON, false);
        saga.start(sequence, T0);
        for (int second = 0; second < 150; second++) {
            saga.tick(sequence, T0.plusSeconds(second));
        }
        assertEquals(List.of("ADMIN POWER_ON"), commands());
        answer(sequence, "ON", T0.plusSeconds(150));
        assertEquals(List.of("ADMIN POWER_ON", "CONTROLLER POWER_ON"), commands());
    }

    @Test
    void aPowerOnThatIsNeverAnsweredFailsAtItsDeadline() {
        PowerSequence sequence = sequence(PowerDirection.ON, false);
        saga.start(sequence, T0);
        saga.tick(sequence, T0.plus(Duration.ofMinutes(2)).plus(MARGIN));
        assertEquals(SequenceState.FAILED, sequence.state);
        assertTrue(sequence.reason.contains("not observed ON"), sequence.reason);
    }

    @Test
    void waitsForDeployedReceivedAfterThePowerOnWasCommandedNotBefore() {
        PowerSequence sequence = sequence(PowerDirection.ON, false);
        deployed.put("Ctrl", T0.minusSeconds(60)); // a stale Deployed from before this sequence
        saga.start(sequence, T0);
        answer(sequence, "ON", T0.plusSeconds(1));
        PowerSequenceStep controller = sequence.steps.get(1);
        answer(sequence, "ON", T0.plusSeconds(2));
        assertEquals(StepState.AWAITING_DEPLOYED, controller.state);
        assertFalse(saga.deployedReported(sequence, "Ctrl", T0.minusSeconds(60), T0.plusSeconds(3)));
        assertEquals(List.of("ADMIN POWER_ON", "CONTROLLER POWER_ON"), commands(), "BAREMETAL waits for Deployed");

        assertTrue(saga.deployedReported(sequence, "Ctrl", T0.plusSeconds(4), T0.plusSeconds(4)));
        assertEquals(StepState.CONFIRMED, controller.state);
        assertEquals("BAREMETAL POWER_ON", commands().get(2));
    }

    @Test
    void aDeployedStatusThatArrivedWhileThePowerOnWasInFlightConfirmsOnceTheNodeIsOn() {
        PowerSequence sequence = sequence(PowerDirection.ON, false);
        saga.start(sequence, T0);
        answer(sequence, "ON", T0.plusSeconds(1));
        deployed.put("Ctrl", T0.plusSeconds(2));
        answer(sequence, "ON", T0.plusSeconds(3));
        assertEquals(StepState.CONFIRMED, sequence.steps.get(1).state);
    }

    @Test
    void aNodeNeverDeployedFailsItsStepAndTheBaremetalIsNeverCommanded() {
        PowerSequence sequence = sequence(PowerDirection.ON, false);
        saga.start(sequence, T0);
        answer(sequence, "ON", T0.plusSeconds(1));
        answer(sequence, "ON", T0.plusSeconds(2));
        saga.tick(sequence, T0.plusSeconds(2).plus(Duration.ofMinutes(30)));
        assertEquals(SequenceState.FAILED, sequence.state);
        assertEquals("CONTROLLER", sequence.failedStep);
        assertTrue(sequence.reason.contains("not Deployed"), sequence.reason);
        assertEquals(List.of("ADMIN POWER_ON", "CONTROLLER POWER_ON"), commands());
    }

    @Test
    void theHypervisorIsCheckedUntilItNoLongerAnswers() {
        PowerSequence sequence = sequence(PowerDirection.OFF, true);
        saga.start(sequence, T0);
        for (int i = 0; i < 3; i++) {
            answer(sequence, "OFF", T0.plusSeconds(i + 1));
        }
        assertTrue(sent.get(sent.size() - 1) instanceof PowerHypervisor);
        saga.tick(sequence, T0.plusSeconds(4));
        assertFalse(sent.get(sent.size() - 1) instanceof CheckHypervisor, "the first check waits one interval");
        saga.tick(sequence, T0.plusSeconds(10));
        var check = (CheckHypervisor) sent.get(sent.size() - 1);
        saga.tick(sequence, T0.plusSeconds(11));
        assertEquals(check, sent.get(sent.size() - 1), "one check in flight at a time");
        saga.hypervisorChecked(sequence, new HypervisorChecked(check.commandId(), sequence.id, "mh", true, "ok"),
                T0.plusSeconds(12));
        saga.tick(sequence, T0.plusSeconds(17));
        var second = (CheckHypervisor) sent.get(sent.size() - 1);
        saga.hypervisorChecked(sequence, new HypervisorChecked(second.commandId(), sequence.id, "mh", false,
                "connection refused"), T0.plusSeconds(18));
        assertEquals(SequenceState.SUCCEEDED, sequence.state);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    static PowerSequence sequence(PowerDirection direction, boolean includeHypervisor) {
        var sequence = new PowerSequence();
        sequence.id = UUID.randomUUID();
        sequence.managementHost = "mh";
        sequence.direction = direction;
        sequence.includeHypervisor = includeHypervisor;
        sequence.requestedAt = T0;
        Map<String, String> vms = Map.of("ADMIN", "Admin", "CONTROLLER", "Ctrl", "BAREMETAL", "Bm",
                PowerStep.HYPERVISOR, "esxi-01");
        for (PowerStep declared : PowerOrder.steps(direction, includeHypervisor)) {
            var step = new PowerSequenceStep();
            step.id = UUID.randomUUID();
            step.sequence = sequence;
            step.position = declared.order();
            step.target = declared.target();
            step.kind = declared.kind();
            step.vmName = vms.get(declared.target());
            sequence.steps.add(step);
        }
        return sequence;
    }

    void answer(PowerSequence sequence, String powerState, Instant at) {
        PowerSequenceStep step = sequence.currentStep().orElseThrow();
        assertTrue(saga.nodeObserved(sequence, observed(sequence, step.commandId, powerState), at));
    }

    NodePowerObserved observed(PowerSequence sequence, UUID commandId, String powerState) {
        PowerSequenceStep step = sequence.currentStep().orElseThrow();
        return new NodePowerObserved(commandId, sequence.id, "mh", step.role(), step.vmName, powerState, null);
    }

    List<String> commands() {
        return sent.stream().filter(PowerNode.class::isInstance).map(PowerNode.class::cast)
                .map(c -> c.role() + " " + c.action()).toList();
    }
}

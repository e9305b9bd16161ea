package moonshot.scheduler.saga;

import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.NodeRole;
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
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restore saga's decisions on plain objects, with time given by the test. */
class RestoreSagaTest {

    static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");
    static final Duration STEP_DEADLINE = Duration.ofHours(3);

    final List<Object> sent = new ArrayList<>();
    final RestoreSaga saga = new RestoreSaga(STEP_DEADLINE, new RestoreSaga.Effects() {
        public void startPowerSequence(StartPowerSequence command) {
            sent.add(command);
        }

        public void restoreNode(RestoreNode command) {
            sent.add(command);
        }
    });

    @Test
    void sendsOneStepAtATimePowerOffThenEachNodeThenPowerOnEachOnlyAfterThePreviousAnswer() {
        Restore restore = pairRestore();
        saga.start(restore, T0);
        assertEquals(List.of("OFF"), sentSoFar());
        assertEquals(RestoreState.POWERING_OFF, restore.state);

        saga.powerSequenceFinished(restore, finished(restore, 0, PowerDirection.OFF), T0.plusSeconds(60));
        assertEquals(List.of("OFF", "CONTROLLER"), sentSoFar());
        assertEquals(RestoreState.RESTORING, restore.state);
        RestoreNode controller = (RestoreNode) sent.get(1);
        assertEquals(34, controller.vzdumpVmid());
        assertEquals(List.of("00:50:56:aa:00:01"), controller.expectedMacs());

        saga.nodeRestored(restore, restoredAsExpected(restore.steps.get(1)), T0.plusSeconds(120));
        assertEquals(List.of("OFF", "CONTROLLER", "BAREMETAL"), sentSoFar());
        saga.nodeRestored(restore, restoredAsExpected(restore.steps.get(2)), T0.plusSeconds(180));
        assertEquals(List.of("OFF", "CONTROLLER", "BAREMETAL", "ON"), sentSoFar());
        assertEquals(RestoreState.POWERING_ON, restore.state);

        saga.powerSequenceFinished(restore, finished(restore, 3, PowerDirection.ON), T0.plusSeconds(600));
        assertEquals(RestoreState.SUCCEEDED, restore.state);
        assertEquals(T0.plusSeconds(600), restore.finishedAt);
        assertEquals(4, sent.size(), "nothing more is sent once the last step succeeded");
    }

    @Test
    void aRestoredVmWithOtherMacsFailsTheStepWithTheReasonAndSendsNothingMore() {
        Restore restore = restoringController();
        RestoreStep controller = restore.steps.get(1);

        assertTrue(saga.nodeRestored(restore, new NodeRestored(controller.commandId, restore.id, "mh",
                NodeRole.CONTROLLER, "Controller", "34", List.of("52:54:00:00:00:99")), T0.plusSeconds(120)));

        assertEquals(RestoreState.FAILED, restore.state);
        assertEquals(2, restore.failedStep);
        assertEquals(RestoreStepState.FAILED, controller.state);
        assertEquals("step 2 (restore CONTROLLER Controller) failed: Controller came back with MACs "
                + "[52:54:00:00:00:99], expected [00:50:56:aa:00:01] as captured at backup time", restore.reason);
        assertEquals(List.of("52:54:00:00:00:99"), controller.restoredMacs, "what the executor found is kept");
        assertEquals(RestoreStepState.PENDING, restore.steps.get(2).state);
        assertEquals(List.of("OFF", "CONTROLLER"), sentSoFar());
    }

    @Test
    void aRestoredVmUnderAnotherVmidOrNameFailsTheStep() {
        Restore byVmid = restoringController();
        RestoreStep step = byVmid.steps.get(1);
        saga.nodeRestored(byVmid, new NodeRestored(step.commandId, byVmid.id, "mh", NodeRole.CONTROLLER,
                "Controller", "134", step.expectedMacs), T0.plusSeconds(120));
        assertEquals("Controller was restored as VM id 134, expected VMID 34", step.reason);
        assertEquals("134", step.restoredVmId);

        Restore byName = restoringController();
        RestoreStep other = byName.steps.get(1);
        saga.nodeRestored(byName, new NodeRestored(other.commandId, byName.id, "mh", NodeRole.CONTROLLER,
                "Controller-restored", "34", other.expectedMacs), T0.plusSeconds(120));
        assertEquals("the restored VM is named Controller-restored, expected Controller", other.reason);
    }

    @Test
    void macsAreComparedWithoutCaseSpacesOrOrder() {
        Restore restore = restoringController();
        RestoreStep controller = restore.steps.get(1);
        controller.expectedMacs = List.of("00:50:56:AA:00:01", "00:50:56:aa:00:02");
        saga.nodeRestored(restore, new NodeRestored(controller.commandId, restore.id, "mh", NodeRole.CONTROLLER,
                "Controller", "34", List.of(" 00:50:56:aa:00:02", "00:50:56:aa:00:01")), T0.plusSeconds(120));
        assertEquals(RestoreStepState.SUCCEEDED, controller.state);
    }

    @Test
    void aFailedStepIsRetriedUnderANewCommandAndALateAnswerToTheFailedAttemptChangesNothing() {
        Restore restore = restoringController();
        RestoreStep controller = restore.steps.get(1);
        UUID firstAttempt = controller.commandId;
        saga.nodeRestoreFailed(restore, new NodeRestoreFailed(firstAttempt, restore.id, "mh", NodeRole.CONTROLLER,
                "Controller", "qmrestore exited 2: the storage is full"), T0.plusSeconds(120));
        assertEquals("step 2 (restore CONTROLLER Controller) failed: qmrestore exited 2: the storage is full",
                restore.reason);
        assertFalse(saga.nodeRestored(restore, restoredAsExpected(controller), T0.plusSeconds(121)),
                "an answer to a failed step is not awaited");

        saga.retry(restore, T0.plusSeconds(300));
        assertEquals(RestoreState.RESTORING, restore.state);
        assertNull(restore.reason);
        assertNull(restore.failedStep);
        assertEquals(2, controller.attempts);
        assertNotEquals(firstAttempt, controller.commandId);
        assertEquals(List.of("OFF", "CONTROLLER", "CONTROLLER"), sentSoFar(), "the power-off is not repeated");

        assertFalse(saga.nodeRestored(restore, new NodeRestored(firstAttempt, restore.id, "mh", NodeRole.CONTROLLER,
                "Controller", "34", controller.expectedMacs), T0.plusSeconds(301)),
                "the first attempt's command is no longer the step's");
        assertEquals(RestoreStepState.SENT, controller.state);
        assertTrue(saga.nodeRestored(restore, restoredAsExpected(controller), T0.plusSeconds(302)));
        assertEquals("BAREMETAL", sentSoFar().get(3));
    }

    @Test
    void aHaltedPowerOffFailsTheRestoreBeforeAnyNodeIsTouched() {
        Restore restore = pairRestore();
        saga.start(restore, T0);
        RestoreStep off = restore.steps.get(0);
        saga.powerSequenceFailed(restore, new PowerSequenceFailed(off.commandId, "mh", PowerDirection.OFF,
                "CONTROLLER (Controller)", "still ON after a hard power-off"), T0.plusSeconds(200));

        assertEquals(RestoreState.FAILED, restore.state);
        assertEquals(1, restore.failedStep);
        assertEquals("step 1 (power off) failed: the power-off sequence halted at CONTROLLER (Controller): still ON "
                + "after a hard power-off", restore.reason);
        assertEquals(List.of("OFF"), sentSoFar());
    }

    @Test
    void anAnswerOfTheWrongKindForTheStepIsIgnored() {
        Restore restore = pairRestore();
        saga.start(restore, T0);
        RestoreStep off = restore.steps.get(0);

        assertFalse(saga.powerSequenceFinished(restore, new PowerSequenceFinished(off.commandId, "mh",
                PowerDirection.ON), T0.plusSeconds(1)), "a power-on answer does not settle the power-off");
        assertFalse(saga.nodeRestored(restore, new NodeRestored(off.commandId, restore.id, "mh", NodeRole.CONTROLLER,
                "Controller", "34", List.of()), T0.plusSeconds(2)), "nor does a node's restore");
        assertFalse(saga.powerSequenceFinished(restore, new PowerSequenceFinished(UUID.randomUUID(), "mh",
                PowerDirection.OFF), T0.plusSeconds(3)), "nor an answer to a command no step sent");
        assertEquals(RestoreStepState.SENT, off.state);
        assertEquals(RestoreState.POWERING_OFF, restore.state);
        assertEquals(List.of("OFF"), sentSoFar());
    }

    @Test
    void anAbandonedRestoreIgnoresTheAnswerItWasWaitingFor() {
        Restore restore = restoringController();
        RestoreStep controller = restore.steps.get(1);
        saga.nodeRestoreFailed(restore, new NodeRestoreFailed(controller.commandId, restore.id, "mh",
                NodeRole.CONTROLLER, "Controller", "timed out"), T0.plusSeconds(100));
        restore.moveTo(RestoreState.ABANDONED, T0.plusSeconds(200));

        assertFalse(saga.nodeRestored(restore, restoredAsExpected(controller), T0.plusSeconds(300)));
        assertEquals(RestoreState.ABANDONED, restore.state);
    }

    @Test
    void aStepWithoutAnAnswerByItsDeadlineFailsTheRestoreWithTheReasonAndItsLateAnswerChangesNothing() {
        Restore restore = restoringController();
        RestoreStep controller = restore.steps.get(1);
        Instant deadline = T0.plusSeconds(60).plus(STEP_DEADLINE);
        assertEquals(deadline, controller.deadlineAt, "counted from the send");

        assertFalse(saga.stepOverdue(restore, deadline.minusMillis(1)), "not yet");
        assertEquals(RestoreStepState.SENT, controller.state);
        assertTrue(saga.stepOverdue(restore, deadline));

        assertEquals(RestoreState.FAILED, restore.state);
        assertEquals(2, restore.failedStep);
        assertEquals(RestoreStepState.FAILED, controller.state);
        assertEquals("step 2 (restore CONTROLLER Controller) failed: no answer from the executor to RestoreNode "
                + controller.commandId + " within PT3H (deadline " + deadline + ")", restore.reason);
        assertFalse(saga.stepOverdue(restore, deadline.plusSeconds(1)), "a failed restore has nothing overdue");
        assertFalse(saga.nodeRestored(restore, restoredAsExpected(controller), deadline.plusSeconds(2)));
        assertEquals(RestoreState.FAILED, restore.state);
        assertEquals(List.of("OFF", "CONTROLLER"), sentSoFar());
    }

    @Test
    void aRetriedStepGetsANewDeadlineAndAPowerStepNamesPowerService() {
        Restore restore = pairRestore();
        saga.start(restore, T0);
        RestoreStep off = restore.steps.get(0);
        assertTrue(saga.stepOverdue(restore, T0.plus(STEP_DEADLINE)));
        assertEquals("step 1 (power off) failed: no answer from power-service to power-off sequence " + off.commandId
                + " within PT3H (deadline " + T0.plus(STEP_DEADLINE) + ")", restore.reason);

        Instant retried = T0.plus(Duration.ofHours(5));
        saga.retry(restore, retried);
        assertEquals(retried.plus(STEP_DEADLINE), off.deadlineAt);
        assertFalse(saga.stepOverdue(restore, retried.plus(STEP_DEADLINE).minusMillis(1)));
        assertEquals(RestoreState.POWERING_OFF, restore.state);
    }

    // --- helpers

    /** A restore whose power-off succeeded and whose CONTROLLER restore is in flight. */
    private Restore restoringController() {
        Restore restore = pairRestore();
        saga.start(restore, T0);
        saga.powerSequenceFinished(restore, finished(restore, 0, PowerDirection.OFF), T0.plusSeconds(60));
        return restore;
    }

    /** What was sent, in order: the power direction of each sequence, the role of each node restore. */
    private List<String> sentSoFar() {
        return sent.stream().map(m -> m instanceof StartPowerSequence s ? s.direction().name()
                : ((RestoreNode) m).role().name()).toList();
    }

    private static PowerSequenceFinished finished(Restore restore, int index, PowerDirection direction) {
        return new PowerSequenceFinished(restore.steps.get(index).commandId, restore.managementHost, direction);
    }

    private static NodeRestored restoredAsExpected(RestoreStep step) {
        return new NodeRestored(step.commandId, step.restore.id, step.restore.managementHost, step.role, step.vmName,
                String.valueOf(step.vzdumpVmid), step.expectedMacs);
    }

    /** CONTROLLER failed on a vzdump host: power off, restore CONTROLLER then BAREMETAL, power on. */
    static Restore pairRestore() {
        var restore = new Restore();
        restore.id = UUID.randomUUID();
        restore.managementHost = "mh";
        restore.failedNodes = List.of(NodeRole.CONTROLLER);
        restore.restoredNodes = List.of(NodeRole.CONTROLLER, NodeRole.BAREMETAL);
        restore.state = RestoreState.POWERING_OFF;
        restore.createdAt = T0;
        restore.updatedAt = T0;
        restore.steps.add(step(restore, 1, RestoreStepKind.POWER_OFF, null, null, null, null));
        restore.steps.add(step(restore, 2, RestoreStepKind.RESTORE_NODE, NodeRole.CONTROLLER, "Controller", 34,
                "00:50:56:aa:00:01"));
        restore.steps.add(step(restore, 3, RestoreStepKind.RESTORE_NODE, NodeRole.BAREMETAL, "Compute", 35,
                "00:50:56:aa:00:02"));
        restore.steps.add(step(restore, 4, RestoreStepKind.POWER_ON, null, null, null, null));
        return restore;
    }

    private static RestoreStep step(Restore restore, int number, RestoreStepKind kind, NodeRole role, String vm,
                                    Integer vmid, String mac) {
        var step = new RestoreStep();
        step.id = UUID.randomUUID();
        step.restore = restore;
        step.number = number;
        step.kind = kind;
        step.description = kind.name();
        step.role = role;
        step.vmName = vm;
        step.vzdumpVmid = vmid;
        step.artifactPath = vm == null ? null : "/var/lib/vz/dump/" + vm + ".vma.zst";
        step.expectedMacs = mac == null ? null : List.of(mac);
        return step;
    }
}

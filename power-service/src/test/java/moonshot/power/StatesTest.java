package moonshot.power;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatesTest {

    @Test
    void aSequenceRunsOnlyFromQueuedAndEndsOnlyFromRunning() {
        assertTrue(SequenceState.QUEUED.canMoveTo(SequenceState.RUNNING));
        assertTrue(SequenceState.RUNNING.canMoveTo(SequenceState.SUCCEEDED));
        assertTrue(SequenceState.RUNNING.canMoveTo(SequenceState.FAILED));
        assertFalse(SequenceState.QUEUED.canMoveTo(SequenceState.SUCCEEDED), "a queued sequence never skips running");
        assertFalse(SequenceState.RUNNING.canMoveTo(SequenceState.QUEUED));
        for (SequenceState end : EnumSet.of(SequenceState.SUCCEEDED, SequenceState.FAILED)) {
            assertTrue(end.isTerminal());
            for (SequenceState any : SequenceState.values()) {
                assertFalse(end.canMoveTo(any), end + " is final but may move to " + any);
            }
        }
    }

    @Test
    void aStepIsConfirmedOnlyAfterItsOwnCommandAndNeverGoesBack() {
        for (StepState any : StepState.values()) {
            assertFalse(any.canMoveTo(StepState.PENDING), any + " may go back to PENDING");
        }
        assertFalse(StepState.PENDING.canMoveTo(StepState.CONFIRMED), "a step is never confirmed without a command");
        assertFalse(StepState.PENDING.canMoveTo(StepState.FAILED), "a step that never started stays PENDING");
        assertTrue(StepState.SHUTTING_DOWN.canMoveTo(StepState.POWERING_OFF), "a graceful shutdown escalates");
        assertFalse(StepState.POWERING_OFF.canMoveTo(StepState.SHUTTING_DOWN), "a hard power-off never de-escalates");
        assertFalse(StepState.POWERING_ON.canMoveTo(StepState.POWERING_OFF));
        assertTrue(StepState.POWERING_ON.canMoveTo(StepState.AWAITING_DEPLOYED));
        assertFalse(StepState.AWAITING_DEPLOYED.canMoveTo(StepState.POWERING_ON), "a power-on is never repeated");
        assertTrue(StepState.CONFIRMED.isTerminal() && StepState.FAILED.isTerminal());
        for (StepState any : StepState.values()) {
            assertFalse(StepState.CONFIRMED.canMoveTo(any));
            assertFalse(StepState.FAILED.canMoveTo(any));
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(StepState.PENDING, StepState.CONFIRMED, StepState.FAILED)),
                StepState.inProgress());
    }

    @Test
    void theEntitiesRefuseATransitionTheTablesDoNotAllow() {
        var sequence = new PowerSequence();
        sequence.state = SequenceState.QUEUED;
        assertThrows(IllegalStateException.class,
                () -> sequence.moveTo(SequenceState.SUCCEEDED, java.time.Instant.EPOCH));
        var step = new PowerSequenceStep();
        step.sequence = sequence;
        step.target = "ADMIN";
        assertThrows(IllegalStateException.class, () -> step.moveTo(StepState.CONFIRMED));
    }
}

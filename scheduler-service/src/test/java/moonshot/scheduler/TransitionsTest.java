package moonshot.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transition tables, read back whole: a change to one is a change to this test. */
class TransitionsTest {

    static <E extends Enum<E>> Set<List<E>> allowed(E[] values, BiPredicate<E, E> canMoveTo) {
        Set<List<E>> pairs = new java.util.HashSet<>();
        for (E from : values) {
            for (E to : values) {
                if (canMoveTo.test(from, to)) {
                    pairs.add(List.of(from, to));
                }
            }
        }
        return pairs;
    }

    @Test
    void aRestoreGoesThroughItsStepsAndAFailedOneIsRetriedAtItsStepOrAbandoned() {
        assertEquals(Set.of(
                        List.of(RestoreState.POWERING_OFF, RestoreState.RESTORING),
                        List.of(RestoreState.POWERING_OFF, RestoreState.FAILED),
                        List.of(RestoreState.RESTORING, RestoreState.POWERING_ON),
                        List.of(RestoreState.RESTORING, RestoreState.FAILED),
                        List.of(RestoreState.POWERING_ON, RestoreState.SUCCEEDED),
                        List.of(RestoreState.POWERING_ON, RestoreState.FAILED),
                        List.of(RestoreState.FAILED, RestoreState.POWERING_OFF),
                        List.of(RestoreState.FAILED, RestoreState.RESTORING),
                        List.of(RestoreState.FAILED, RestoreState.POWERING_ON),
                        List.of(RestoreState.FAILED, RestoreState.ABANDONED)),
                allowed(RestoreState.values(), RestoreState::canMoveTo));
    }

    @Test
    void aFailedRestoreStillHoldsItsHostAndOnlySucceededOrAbandonedReleaseIt() {
        assertEquals(EnumSet.of(RestoreState.SUCCEEDED, RestoreState.ABANDONED), EnumSet.copyOf(Arrays.stream(
                RestoreState.values()).filter(s -> !s.isOpen()).toList()));
        assertFalse(RestoreState.FAILED.isRunning());
        assertTrue(RestoreState.RESTORING.isRunning());
    }

    @Test
    void everyStepKindRunsInItsOwnRestoreState() {
        assertEquals(RestoreState.POWERING_OFF, RestoreStepKind.POWER_OFF.runningState());
        assertEquals(RestoreState.RESTORING, RestoreStepKind.RESTORE_NODE.runningState());
        assertEquals(RestoreState.POWERING_ON, RestoreStepKind.POWER_ON.runningState());
    }

    @Test
    void aStepIsSentOnceAndSentAgainOnlyAfterItFailed() {
        assertEquals(Set.of(
                        List.of(RestoreStepState.PENDING, RestoreStepState.SENT),
                        List.of(RestoreStepState.SENT, RestoreStepState.SUCCEEDED),
                        List.of(RestoreStepState.SENT, RestoreStepState.FAILED),
                        List.of(RestoreStepState.FAILED, RestoreStepState.SENT)),
                allowed(RestoreStepState.values(), RestoreStepState::canMoveTo));
    }

    @Test
    void maintenanceWithPowerGoesBackupPowerOffReadyPowerOnFinished() {
        assertEquals(Set.of(
                        List.of(MaintenanceState.BACKING_UP, MaintenanceState.POWERING_OFF),
                        List.of(MaintenanceState.BACKING_UP, MaintenanceState.READY),
                        List.of(MaintenanceState.BACKING_UP, MaintenanceState.BLOCKED),
                        List.of(MaintenanceState.POWERING_OFF, MaintenanceState.READY),
                        List.of(MaintenanceState.POWERING_OFF, MaintenanceState.BLOCKED),
                        List.of(MaintenanceState.READY, MaintenanceState.POWERING_ON),
                        List.of(MaintenanceState.READY, MaintenanceState.FINISHED),
                        List.of(MaintenanceState.POWERING_ON, MaintenanceState.FINISHED),
                        List.of(MaintenanceState.POWERING_ON, MaintenanceState.BLOCKED),
                        List.of(MaintenanceState.BLOCKED, MaintenanceState.POWERING_ON),
                        List.of(MaintenanceState.BLOCKED, MaintenanceState.FINISHED)),
                allowed(MaintenanceState.values(), MaintenanceState::canMoveTo));
    }

    @Test
    void aRestoreRefusesATransitionItsTableDoesNotAllow() {
        var restore = new Restore();
        restore.state = RestoreState.SUCCEEDED;
        var refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> restore.moveTo(RestoreState.RESTORING, java.time.Instant.EPOCH));
        assertTrue(refused.getMessage().contains("cannot move from SUCCEEDED to RESTORING"));
    }
}

package moonshot.scheduler;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A maintenance ticket's progress, with its allowed transitions in one place. Without {@code powerOff}:
 * BACKING_UP → READY → FINISHED. With it: BACKING_UP → POWERING_OFF → READY, and on {@code completed}
 * READY → POWERING_ON → FINISHED. A failed backup or power sequence gives BLOCKED with the reason; {@code completed}
 * on a BLOCKED ticket that powered the host (or part of it) off powers it on again.
 */
public enum MaintenanceState {
    /** The FULL backup is running. */
    BACKING_UP,
    /** Backed up; the power-off sequence is in flight ({@code ready} comes when it finishes). */
    POWERING_OFF,
    /** Backed up (and powered off if asked); {@code moonshot.maintenance.ready} was published. */
    READY,
    /** {@code completed} arrived for a ticket that powered the host off; the power-on sequence is in flight. */
    POWERING_ON,
    /** The backup or a power sequence failed (or could not start); {@code blocked} was published with the reason. */
    BLOCKED,
    /** {@code completed} arrived (and the host is powered on again); {@code finished} was published. */
    FINISHED,
    /** A deployment baseline: the FULL backup is kept as a protected baseline; no status event is due. */
    BASELINE;

    private static final Map<MaintenanceState, Set<MaintenanceState>> ALLOWED = Map.of(
            BACKING_UP, EnumSet.of(POWERING_OFF, READY, BLOCKED),
            POWERING_OFF, EnumSet.of(READY, BLOCKED),
            READY, EnumSet.of(POWERING_ON, FINISHED),
            POWERING_ON, EnumSet.of(FINISHED, BLOCKED),
            BLOCKED, EnumSet.of(POWERING_ON, FINISHED),
            FINISHED, EnumSet.noneOf(MaintenanceState.class),
            BASELINE, EnumSet.noneOf(MaintenanceState.class));

    public boolean canMoveTo(MaintenanceState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Waiting for the backup run or a power sequence to end: the ticket's deadline applies. */
    public boolean isWaiting() {
        return this == BACKING_UP || this == POWERING_OFF || this == POWERING_ON;
    }
}

package moonshot.scheduler;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A maintenance ticket's progress, with its allowed transitions in one place. */
public enum MaintenanceState {
    /** The FULL backup is running. */
    BACKING_UP,
    /** Backed up; {@code moonshot.maintenance.ready} was published. */
    READY,
    /** The backup failed (or could not start); {@code moonshot.maintenance.blocked} was published with the reason. */
    BLOCKED,
    /** {@code completed} arrived; {@code moonshot.maintenance.finished} was published. */
    FINISHED,
    /** A deployment baseline: the FULL backup is kept as a protected baseline; no status event is due. */
    BASELINE;

    private static final Map<MaintenanceState, Set<MaintenanceState>> ALLOWED = Map.of(
            BACKING_UP, EnumSet.of(READY, BLOCKED),
            READY, EnumSet.of(FINISHED),
            BLOCKED, EnumSet.of(FINISHED),
            FINISHED, EnumSet.noneOf(MaintenanceState.class),
            BASELINE, EnumSet.noneOf(MaintenanceState.class));

    public boolean canMoveTo(MaintenanceState next) {
        return ALLOWED.get(this).contains(next);
    }
}

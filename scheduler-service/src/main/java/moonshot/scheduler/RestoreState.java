package moonshot.scheduler;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A restore saga's states and, in one place, the transitions allowed between them. The saga moves through its steps
 * in order (power off, restore each node, power on); any step can fail it, and a failed restore is either retried
 * from the failed step (back to that step's state) or abandoned.
 */
public enum RestoreState {
    /** The power-off sequence of the whole management host is in flight. */
    POWERING_OFF,
    /** A node is being removed and restored from its artifact (one node at a time). */
    RESTORING,
    /** The power-on sequence (with the Deployed waits) is in flight. */
    POWERING_ON,
    SUCCEEDED,
    /** A step failed; the restore records which and why, and waits for an operator to retry or abandon it. */
    FAILED,
    /** An operator gave the failed restore up; the host is left as the failed step left it. */
    ABANDONED;

    private static final Map<RestoreState, Set<RestoreState>> ALLOWED = Map.of(
            POWERING_OFF, EnumSet.of(RESTORING, FAILED),
            RESTORING, EnumSet.of(POWERING_ON, FAILED),
            POWERING_ON, EnumSet.of(SUCCEEDED, FAILED),
            SUCCEEDED, EnumSet.noneOf(RestoreState.class),
            FAILED, EnumSet.of(POWERING_OFF, RESTORING, POWERING_ON, ABANDONED),
            ABANDONED, EnumSet.noneOf(RestoreState.class));

    public boolean canMoveTo(RestoreState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Holds the host: no other restore may start (a FAILED one too, until it is retried to the end or abandoned). */
    public boolean isOpen() {
        return this != SUCCEEDED && this != ABANDONED;
    }

    /** Waiting for the answer of a step in flight. */
    public boolean isRunning() {
        return this == POWERING_OFF || this == RESTORING || this == POWERING_ON;
    }
}

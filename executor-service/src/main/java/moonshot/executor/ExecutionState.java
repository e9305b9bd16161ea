package moonshot.executor;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** An execution's life in the executor, with its allowed transitions in one place. */
public enum ExecutionState {
    /** Persisted from the command; no SSH work yet. */
    ACCEPTED,
    /** Claimed by one executor instance, which is doing the SSH work. */
    RUNNING,
    /** Every node has an outcome (which may be a failure). */
    FINISHED,
    /**
     * The owning instance died mid-work; after its restart the outcome was reported: failed with the reason, or for a
     * power command the state re-observed (its action is never sent again).
     */
    ABANDONED;

    private static final Map<ExecutionState, Set<ExecutionState>> ALLOWED = Map.of(
            ACCEPTED, EnumSet.of(RUNNING, FINISHED),
            RUNNING, EnumSet.of(FINISHED, ABANDONED),
            FINISHED, EnumSet.noneOf(ExecutionState.class),
            ABANDONED, EnumSet.noneOf(ExecutionState.class));

    public boolean canMoveTo(ExecutionState next) {
        return ALLOWED.get(this).contains(next);
    }
}

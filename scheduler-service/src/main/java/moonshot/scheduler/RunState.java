package moonshot.scheduler;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The states of a backup run and, in one place, the transitions allowed between them. */
public enum RunState {
    QUEUED, RUNNING, SUCCEEDED, PARTIALLY_FAILED, FAILED, CANCELLED;

    private static final Map<RunState, Set<RunState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, PARTIALLY_FAILED, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(RunState.class),
            PARTIALLY_FAILED, EnumSet.noneOf(RunState.class),
            FAILED, EnumSet.noneOf(RunState.class),
            CANCELLED, EnumSet.noneOf(RunState.class));

    public boolean canMoveTo(RunState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }

    public boolean isTerminal() {
        return !isActive();
    }
}

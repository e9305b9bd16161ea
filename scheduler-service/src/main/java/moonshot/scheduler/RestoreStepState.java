package moonshot.scheduler;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** One step of a restore, with its allowed transitions: a failed step is sent again (with a new command) on retry. */
public enum RestoreStepState {
    /** Not sent yet. */
    PENDING,
    /** Its command is in the outbox (or on its way); the step waits for the answer to its command id. */
    SENT,
    SUCCEEDED,
    FAILED;

    private static final Map<RestoreStepState, Set<RestoreStepState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(SENT),
            SENT, EnumSet.of(SUCCEEDED, FAILED),
            SUCCEEDED, EnumSet.noneOf(RestoreStepState.class),
            FAILED, EnumSet.of(SENT));

    public boolean canMoveTo(RestoreStepState next) {
        return ALLOWED.get(this).contains(next);
    }
}

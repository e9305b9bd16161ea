package moonshot.power;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of a power sequence and, in one place, the transitions allowed between them. A sequence waits QUEUED
 * while another sequence of its management host is RUNNING; it ends SUCCEEDED (every step confirmed) or FAILED
 * (halted at one step, the steps after it never started).
 */
public enum SequenceState {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    private static final Map<SequenceState, Set<SequenceState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED),
            SUCCEEDED, EnumSet.noneOf(SequenceState.class),
            FAILED, EnumSet.noneOf(SequenceState.class));

    public boolean canMoveTo(SequenceState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}

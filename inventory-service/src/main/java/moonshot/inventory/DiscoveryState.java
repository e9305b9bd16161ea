package moonshot.inventory;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A discovery's life, with its allowed transitions in one place. */
public enum DiscoveryState {
    /** DiscoverVms is on its way to the executor (through the outbox); no answer yet. */
    REQUESTED,
    /** VmsDiscovered arrived and was recorded, differences included. */
    COMPLETED,
    /** DiscoveryFailed arrived; the reason is the executor's. */
    FAILED;

    private static final Map<DiscoveryState, Set<DiscoveryState>> ALLOWED = Map.of(
            REQUESTED, EnumSet.of(COMPLETED, FAILED),
            COMPLETED, EnumSet.noneOf(DiscoveryState.class),
            FAILED, EnumSet.noneOf(DiscoveryState.class));

    public boolean canMoveTo(DiscoveryState next) {
        return ALLOWED.get(this).contains(next);
    }
}

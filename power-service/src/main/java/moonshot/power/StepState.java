package moonshot.power;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of one step and, in one place, the transitions allowed between them.
 *
 * <ul>
 *   <li>SHUTTING_DOWN: a graceful SHUTDOWN was sent; if the node is not OFF within the grace period, POWERING_OFF.</li>
 *   <li>POWERING_OFF: a hard POWER_OFF was sent, waiting for OFF.</li>
 *   <li>POWERING_ON: POWER_ON was sent, waiting for ON (then CONFIRMED, or AWAITING_DEPLOYED for the controller and
 *       baremetal nodes).</li>
 *   <li>AWAITING_DEPLOYED: the node is ON; waiting for a Deployed node-status or its readiness probe.</li>
 *   <li>AWAITING_HYPERVISOR: the hypervisor's power was requested out of band; checking until it stops (or starts)
 *       answering.</li>
 * </ul>
 * A step never goes back to PENDING and never skips from PENDING to CONFIRMED: it is confirmed only by what was
 * observed after its own command.
 */
public enum StepState {
    PENDING, SHUTTING_DOWN, POWERING_OFF, POWERING_ON, AWAITING_DEPLOYED, AWAITING_HYPERVISOR, CONFIRMED, FAILED;

    private static final Map<StepState, Set<StepState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(SHUTTING_DOWN, POWERING_ON, AWAITING_HYPERVISOR),
            SHUTTING_DOWN, EnumSet.of(POWERING_OFF, CONFIRMED, FAILED),
            POWERING_OFF, EnumSet.of(CONFIRMED, FAILED),
            POWERING_ON, EnumSet.of(AWAITING_DEPLOYED, CONFIRMED, FAILED),
            AWAITING_DEPLOYED, EnumSet.of(CONFIRMED, FAILED),
            AWAITING_HYPERVISOR, EnumSet.of(CONFIRMED, FAILED),
            CONFIRMED, EnumSet.noneOf(StepState.class),
            FAILED, EnumSet.noneOf(StepState.class));

    public boolean canMoveTo(StepState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Started and not yet ended: the step the sequence is waiting on. */
    public boolean isInProgress() {
        return this != PENDING && !isTerminal();
    }

    public boolean isTerminal() {
        return this == CONFIRMED || this == FAILED;
    }

    /** The states in which a step is in progress, for queries. */
    public static Set<StepState> inProgress() {
        return EnumSet.of(SHUTTING_DOWN, POWERING_OFF, POWERING_ON, AWAITING_DEPLOYED, AWAITING_HYPERVISOR);
    }
}

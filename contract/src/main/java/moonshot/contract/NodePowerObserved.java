package moonshot.contract;

import java.time.Instant;
import java.util.UUID;

/** The executor's answer to {@link PowerNode}: the state the hypervisor reports now ({@code ON} or {@code OFF}). */
public record NodePowerObserved(UUID commandId, UUID sequenceId, String managementHost, NodeRole role, String vmName,
                                String powerState, Instant observedAt) {
}

package moonshot.contract;

import java.util.UUID;

/**
 * Out of band (on {@code moonshot.hypervisor-power}): the hypervisor's own power is not ours to switch; another
 * system (iLO, a PDU, a person) acts on this and power-service waits until the hypervisor stops or starts answering.
 */
public record PowerHypervisor(UUID sequenceId, String managementHost, String hypervisor, PowerDirection direction) {
}

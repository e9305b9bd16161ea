package moonshot.contract;

import java.util.UUID;

/** Command to the executor: list the VMs on a management host's hypervisor and capture each node's MACs and config. */
public record DiscoverVms(UUID discoveryId, String managementHost) {
}

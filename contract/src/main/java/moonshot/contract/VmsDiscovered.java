package moonshot.contract;

import java.util.List;
import java.util.UUID;

/** The executor's answer to {@link DiscoverVms}: every VM on the hypervisor, with MACs and config for the nodes. */
public record VmsDiscovered(UUID discoveryId, String managementHost, List<DiscoveredVm> vms) {
}

package moonshot.inventory.rest;

import moonshot.contract.NodeRole;
import moonshot.inventory.Discovery.Difference;
import moonshot.inventory.Discovery.OtherVm;
import moonshot.inventory.DiscoveryState;
import moonshot.inventory.PowerState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A discovery: per node what the hypervisor showed, the differences from inventory, and the hypervisor's other VMs.
 * A node's captured configuration is served apart ({@code /management-hosts/{host}/nodes/{role}/config}).
 */
public record DiscoveryView(UUID id, String managementHost, DiscoveryState state, Instant requestedAt,
                            Instant finishedAt, String reason, List<NodeFinding> nodes, List<Difference> differences,
                            List<OtherVm> otherVms) {

    public record NodeFinding(NodeRole role, String vmName, boolean found, String vmId, PowerState powerState,
                              List<String> macs, boolean macsCaptured, boolean configCaptured) {
    }
}

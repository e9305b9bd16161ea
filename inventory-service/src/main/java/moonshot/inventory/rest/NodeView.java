package moonshot.inventory.rest;

import moonshot.contract.NodeRole;
import moonshot.inventory.PowerState;

import java.util.List;

public record NodeView(NodeRole role, String vmName, Integer vzdumpVmid, List<String> macs, PowerState powerState,
                       String deploymentState, String readinessProbe) {
}

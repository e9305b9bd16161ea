package moonshot.inventory.rest;

import moonshot.inventory.Hypervisor;
import moonshot.inventory.ManagementHost;

import java.util.List;

/** The mapping point from entities to what goes over REST. */
final class Views {
    private Views() {
    }

    static HypervisorView of(Hypervisor h) {
        return new HypervisorView(h.id, h.name, h.kind, h.dialect, h.address, h.port, h.username, h.keyFile,
                h.hostKeyFingerprint, h.backupTarget, h.runningDatastore, h.createdAt, h.updatedAt);
    }

    static ManagementHostView of(ManagementHost host) {
        return new ManagementHostView(host.id, host.name, host.hypervisor.name,
                host.nodes.stream().map(n -> new NodeView(n.role, n.vmName, n.vzdumpVmid, List.copyOf(n.macs),
                        n.powerState, n.deploymentState)).toList(),
                host.createdAt, host.updatedAt);
    }
}

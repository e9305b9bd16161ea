package moonshot.inventory.rest;

import moonshot.contract.HypervisorKind;
import moonshot.inventory.Discovery;
import moonshot.inventory.DiscoveryNode;
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
                        n.powerState, n.deploymentState, n.readinessProbe)).toList(),
                host.createdAt, host.updatedAt);
    }

    static DiscoveryView of(Discovery d) {
        return new DiscoveryView(d.id, d.managementHost.name, d.state, d.requestedAt, d.finishedAt, d.reason,
                d.nodes.stream().map(n -> new DiscoveryView.NodeFinding(n.role, n.vmName, n.found, n.vmId,
                        n.powerState, List.copyOf(n.macs), n.macsCaptured, n.config != null)).toList(),
                List.copyOf(d.differences), List.copyOf(d.otherVms));
    }

    static NodeConfigView of(DiscoveryNode n) {
        Discovery d = n.discovery;
        return new NodeConfigView(n.role, n.vmName, d.id, d.finishedAt,
                d.managementHost.hypervisor.kind == HypervisorKind.ESXI ? "vmx" : "libvirt-xml", n.config);
    }
}

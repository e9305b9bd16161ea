package moonshot.inventory.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.UnusableEventException;
import moonshot.contract.VmsDiscovered;
import moonshot.inventory.Discovery;
import moonshot.inventory.Discovery.Difference;
import moonshot.inventory.Discovery.OtherVm;
import moonshot.inventory.DiscoveryNode;
import moonshot.inventory.DiscoveryState;
import moonshot.inventory.ManagementHost;
import moonshot.inventory.Node;
import moonshot.inventory.PowerState;
import moonshot.inventory.messaging.InventoryEvents;
import moonshot.inventory.repository.DiscoveryRepository;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Applies the executor's answer to a discovery. The hypervisor's VMs are matched to the host's nodes by VM name;
 * where they disagree with inventory the difference is reported in the discovery, and inventory is left as it is,
 * with two exceptions: MACs are filled in where inventory holds none (their first capture), and the power state is
 * updated, since inventory only mirrors it.
 */
@ApplicationScoped
public class RecordDiscoveryOutcome {

    private static final Logger LOG = Logger.getLogger(RecordDiscoveryOutcome.class);

    private final DiscoveryRepository discoveries;
    private final InventoryEvents events;
    private final Clock clock;

    RecordDiscoveryOutcome(DiscoveryRepository discoveries, InventoryEvents events, Clock clock) {
        this.discoveries = discoveries;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void discovered(VmsDiscovered answer) {
        Discovery discovery = open(answer.discoveryId(), answer.managementHost(), DiscoveryState.COMPLETED);
        if (discovery == null) {
            return;
        }
        ManagementHost host = discovery.managementHost;
        Map<String, List<DiscoveredVm>> byName = answer.vms().stream()
                .collect(Collectors.groupingBy(DiscoveredVm::name));
        List<String> captured = new ArrayList<>();
        List<Difference> differences = new ArrayList<>();
        for (Node node : host.nodes) {
            DiscoveryNode found = compare(discovery, node, byName.getOrDefault(node.vmName, List.of()), differences);
            discovery.nodes.add(found);
            if (found.macsCaptured) {
                captured.add(node.role.name());
            }
        }
        discovery.differences = differences;
        Set<String> nodeNames = host.nodes.stream().map(n -> n.vmName).collect(Collectors.toSet());
        discovery.otherVms = answer.vms().stream().filter(vm -> !nodeNames.contains(vm.name()))
                .map(vm -> new OtherVm(vm.name(), vm.vmId(), vm.powerState())).toList();
        discovery.moveTo(DiscoveryState.COMPLETED, clock.instant());
        if (!captured.isEmpty()) {
            host.updatedAt = clock.instant();
            events.managementHostChanged(host, false);
        }
        LOG.infof("discovery %s of %s completed: %d VM(s) on the hypervisor, MACs captured for %s, %d difference(s)%s",
                discovery.id, host.name, answer.vms().size(), captured, discovery.differences.size(),
                discovery.differences.isEmpty() ? "" : " " + discovery.differences.stream()
                        .map(d -> d.node() + " " + d.field()).toList());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void failed(DiscoveryFailed answer) {
        Discovery discovery = open(answer.discoveryId(), answer.managementHost(), DiscoveryState.FAILED);
        if (discovery == null) {
            return;
        }
        discovery.reason = answer.reason();
        discovery.moveTo(DiscoveryState.FAILED, clock.instant());
        LOG.warnf("discovery %s of %s failed: %s", discovery.id, discovery.managementHost.name, answer.reason());
    }

    /** The discovery an answer is for, or null when it has its answer already (a second one has no effect). */
    private Discovery open(UUID id, String managementHost, DiscoveryState next) {
        Discovery discovery = discoveries.findByIdOptional(id)
                .orElseThrow(() -> new UnusableEventException("no discovery " + id + " in inventory"));
        if (!discovery.managementHost.name.equals(managementHost)) {
            throw new UnusableEventException("discovery " + id + " is of management host "
                    + discovery.managementHost.name + ", not " + managementHost);
        }
        MDC.put("discovery", id.toString());
        if (!discovery.state.canMoveTo(next)) {
            LOG.infof("discovery %s is %s already; this answer has no effect", id, discovery.state);
            return null;
        }
        return discovery;
    }

    private static DiscoveryNode compare(Discovery discovery, Node node, List<DiscoveredVm> vms,
                                         List<Difference> differences) {
        var found = new DiscoveryNode();
        found.id = UUID.randomUUID();
        found.discovery = discovery;
        found.role = node.role;
        found.vmName = node.vmName;
        if (vms.size() != 1) {
            differences.add(new Difference(node.role, node.vmName, "vm", vms.isEmpty()
                    ? "not found on hypervisor"
                    : vms.size() + " VMs named '" + node.vmName + "' on hypervisor", null, null));
            return found;
        }
        DiscoveredVm vm = vms.get(0);
        found.found = true;
        found.vmId = vm.vmId();
        found.powerState = power(vm.powerState());
        found.macs = vm.macs().stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
        found.config = vm.config();
        if (found.powerState != PowerState.UNKNOWN) {
            node.powerState = found.powerState;
        }
        if (node.macs.isEmpty() && !found.macs.isEmpty()) {
            node.macs = new ArrayList<>(found.macs);
            found.macsCaptured = true;
        } else if (!Set.copyOf(node.macs).equals(Set.copyOf(found.macs))) {
            differences.add(new Difference(node.role, node.vmName, "macs", null, List.copyOf(node.macs),
                    found.macs));
        }
        return found;
    }

    private static PowerState power(String state) {
        return switch (state == null ? "" : state.toUpperCase(Locale.ROOT)) {
            case "ON" -> PowerState.ON;
            case "OFF" -> PowerState.OFF;
            default -> PowerState.UNKNOWN;
        };
    }
}

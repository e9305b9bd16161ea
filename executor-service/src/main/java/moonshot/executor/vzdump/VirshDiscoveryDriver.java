package moonshot.executor.vzdump;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.Dialect;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.DiscoveryDriver;

import java.util.List;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * KVM: {@code virsh list --all} lists the domains with their power; a node VM's MACs come from
 * {@code virsh domiflist <name>} and its configuration from {@code virsh dumpxml <name>}. Domains are named by name,
 * since virsh gives a running domain a new Id at every start.
 */
@ApplicationScoped
public class VirshDiscoveryDriver implements DiscoveryDriver {

    @Override
    public Dialect dialect() {
        return Dialect.VZDUMP;
    }

    @Override
    public String listCommand() {
        return "virsh list --all";
    }

    @Override
    public List<ListedVm> parseListing(HypervisorConnection hypervisor, String stdout) {
        return VirshDomainList.parse(stdout);
    }

    @Override
    public List<String> captureCommands(HypervisorConnection hypervisor, ListedVm vm, boolean node) {
        if (!node) {
            return List.of();
        }
        String name = quote(CommandValues.vmName(vm.name()));
        return List.of("virsh domiflist " + name, "virsh dumpxml " + name);
    }

    @Override
    public DiscoveredVm parseCapture(ListedVm vm, boolean node, List<String> outputs) {
        if (!node) {
            return new DiscoveredVm(vm.name(), vm.vmId(), vm.powerState(), List.of(), null);
        }
        return new DiscoveredVm(vm.name(), vm.vmId(), vm.powerState(), VirshInterfaceList.macs(outputs.get(0)),
                DomainXmlConfig.kept(vm.name(), outputs.get(1)));
    }
}

package moonshot.executor.xsibackup;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.PowerAction;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.DiscoveryDriver.ListedVm;
import moonshot.executor.dialect.PowerDriver;
import moonshot.executor.dialect.UnsafeValueException;

import java.util.List;

/**
 * ESXi: the VM's Vmid comes from {@code vim-cmd vmsvc/getallvms} (by name: a Vmid changes when a VM is registered
 * again), its power from {@code vim-cmd vmsvc/power.getstate <vmid>}, and the actions are
 * {@code vim-cmd vmsvc/power.shutdown|power.off|power.on <vmid>}.
 */
@ApplicationScoped
public class VimCmdPowerDriver implements PowerDriver {

    static final String LIST = "vim-cmd vmsvc/getallvms";

    @Override
    public Dialect dialect() {
        return Dialect.XSIBACKUP_CLASSIC;
    }

    @Override
    public String locateCommand() {
        return LIST;
    }

    @Override
    public Located locate(HypervisorConnection hypervisor, String vmName, String locateOutput) {
        String name = CommandValues.vmName(vmName);
        ListedVm vm = registered(GetAllVmsListing.parse(locateOutput, hypervisor.runningDatastore()), name);
        if (vm == null) {
            throw new IllegalStateException("VM " + name + " is not registered on hypervisor " + hypervisor.name()
                    + " (not in `" + LIST + "`)");
        }
        return new Located(name, vmid(vm.vmId()));
    }

    @Override
    public String stateCommand(Located vm) {
        return "vim-cmd vmsvc/power.getstate " + vmid(vm.handle());
    }

    @Override
    public String parseState(Located vm, String stdout) {
        return VimCmdDiscoveryDriver.powerState(new ListedVm(vm.vmName(), vm.handle(), null, null), stdout);
    }

    @Override
    public String actionCommand(Located vm, PowerAction action) {
        String verb = switch (action) {
            case SHUTDOWN -> "power.shutdown";
            case POWER_OFF -> "power.off";
            case POWER_ON -> "power.on";
        };
        return "vim-cmd vmsvc/" + verb + " " + vmid(vm.handle());
    }

    /** The one listed VM of that name; two of the same name is an error, since either could be the node. */
    static ListedVm registered(List<ListedVm> listing, String name) {
        List<ListedVm> named = listing.stream().filter(vm -> vm.name().equals(name)).toList();
        if (named.size() > 1) {
            throw new IllegalStateException("VM name " + name + " is registered " + named.size() + " times (Vmids "
                    + named.stream().map(ListedVm::vmId).toList() + "); refusing to guess which one is meant");
        }
        return named.isEmpty() ? null : named.get(0);
    }

    /** A Vmid is digits only; anything else never reaches a command. */
    static String vmid(String vmid) {
        if (vmid == null || !vmid.matches("\\d{1,9}")) {
            throw new UnsafeValueException("Vmid " + CommandValues.printable(vmid) + " is not a number");
        }
        return vmid;
    }
}

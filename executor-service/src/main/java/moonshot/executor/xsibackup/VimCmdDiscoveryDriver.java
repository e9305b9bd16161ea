package moonshot.executor.xsibackup;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.Dialect;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.UnsafeValueException;

import java.util.ArrayList;
import java.util.List;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * ESXi: {@code vim-cmd vmsvc/getallvms} lists the VMs, {@code vim-cmd vmsvc/power.getstate <vmid>} gives each one's
 * power, and a node VM's {@code .vmx} (read with {@code cat}) gives its MACs and configuration.
 */
@ApplicationScoped
public class VimCmdDiscoveryDriver implements DiscoveryDriver {

    @Override
    public Dialect dialect() {
        return Dialect.XSIBACKUP_CLASSIC;
    }

    @Override
    public String listCommand() {
        return "vim-cmd vmsvc/getallvms";
    }

    @Override
    public List<ListedVm> parseListing(HypervisorConnection hypervisor, String stdout) {
        return GetAllVmsListing.parse(stdout, hypervisor.runningDatastore());
    }

    @Override
    public List<String> captureCommands(HypervisorConnection hypervisor, ListedVm vm, boolean node) {
        if (vm.vmId() == null || !vm.vmId().matches("\\d{1,9}")) {
            throw new UnsafeValueException("Vmid " + CommandValues.printable(vm.vmId()) + " is not a number");
        }
        List<String> commands = new ArrayList<>();
        commands.add("vim-cmd vmsvc/power.getstate " + vm.vmId());
        if (node) {
            CommandValues.vmName(vm.name());
            if (vm.configPath() == null) {
                throw new IllegalStateException("the listing names no .vmx for " + vm.name());
            }
            commands.add("cat " + quote(CommandValues.absolutePath(".vmx path", vm.configPath())));
        }
        return commands;
    }

    @Override
    public DiscoveredVm parseCapture(ListedVm vm, boolean node, List<String> outputs) {
        String power = powerState(vm, outputs.get(0));
        if (!node) {
            return new DiscoveredVm(vm.name(), vm.vmId(), power, List.of(), null);
        }
        VmxConfig vmx = VmxConfig.parse(outputs.get(1));
        return new DiscoveredVm(vm.name(), vm.vmId(), power, vmx.macs(), vmx.text());
    }

    /** {@code Retrieved runtime info} then {@code Powered on}, {@code Powered off} or {@code Suspended}. */
    static String powerState(ListedVm vm, String stdout) {
        for (String line : stdout.lines().map(String::strip).toList()) {
            switch (line) {
                case "Powered on":
                    return ON;
                case "Powered off", "Suspended":
                    return OFF;
                default:
                    break;
            }
        }
        throw new IllegalStateException("vim-cmd printed no power state for " + vm.name() + " (Vmid " + vm.vmId()
                + ")");
    }
}

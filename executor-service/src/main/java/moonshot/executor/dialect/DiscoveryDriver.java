package moonshot.executor.dialect;

import moonshot.contract.Dialect;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.HypervisorConnection;

import java.util.List;

/**
 * Lists a hypervisor's VMs and captures what a node VM is made of (power state, MACs, configuration) with one
 * dialect's tools. Every value put into a command is validated and shell-quoted; captured configuration has its
 * secrets (passwords) masked before it leaves the executor.
 */
public interface DiscoveryDriver {

    String ON = "ON";
    String OFF = "OFF";

    Dialect dialect();

    /** The command that lists every VM on the hypervisor. */
    String listCommand();

    /**
     * Reads the listing.
     *
     * @throws IllegalStateException when the output is not the tool's listing
     */
    List<ListedVm> parseListing(HypervisorConnection hypervisor, String stdout);

    /**
     * The commands, in order, that capture one listed VM: for a node VM its power state, MACs and configuration;
     * for any other VM only what the listing lacks of its power state (possibly nothing).
     *
     * @throws UnsafeValueException when a value must not go into a command
     */
    List<String> captureCommands(HypervisorConnection hypervisor, ListedVm vm, boolean node);

    /**
     * Reads the standard output of {@link #captureCommands} (same order) into the VM as the hypervisor shows it.
     *
     * @throws IllegalStateException when an output is not what the tool prints
     */
    DiscoveredVm parseCapture(ListedVm vm, boolean node, List<String> outputs);

    /**
     * One row of the listing. {@code vmId} is the ESXi Vmid or the virsh Id ({@code -} when shut off);
     * {@code powerState} is ON or OFF when the listing shows it, else null; {@code configPath} is the absolute path
     * of the VM's configuration file when the listing names one, else null.
     */
    record ListedVm(String name, String vmId, String powerState, String configPath) {
    }
}

package moonshot.executor.dialect;

import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.PowerAction;

/**
 * One dialect's power commands on one VM: find it, read its power state, act on it. Every value put into a command is
 * validated and shell-quoted. Waiting for a state, and never acting when the VM is already there, is the caller's.
 */
public interface PowerDriver {

    String ON = DiscoveryDriver.ON;
    String OFF = DiscoveryDriver.OFF;

    Dialect dialect();

    /**
     * The command whose output locates the VM for the power commands (ESXi: the VM listing, for its Vmid), or null
     * when the power commands name the VM itself (virsh).
     */
    String locateCommand();

    /**
     * The VM as the power commands address it, read from the output of {@link #locateCommand()} (null when there is
     * no such command).
     *
     * @throws UnsafeValueException  when the name must not go into a command
     * @throws IllegalStateException when the VM is not on the hypervisor or the output is not the listing
     */
    Located locate(HypervisorConnection hypervisor, String vmName, String locateOutput);

    String stateCommand(Located vm);

    /**
     * {@link #ON} or {@link #OFF}.
     *
     * @throws IllegalStateException when the output is not a power state
     */
    String parseState(Located vm, String stdout);

    String actionCommand(Located vm, PowerAction action);

    /** The state a power action leads to. */
    static String target(PowerAction action) {
        return action == PowerAction.POWER_ON ? ON : OFF;
    }

    /** A VM by its name and its handle in the power commands (the ESXi Vmid, or the virsh domain name). */
    record Located(String vmName, String handle) {
    }
}

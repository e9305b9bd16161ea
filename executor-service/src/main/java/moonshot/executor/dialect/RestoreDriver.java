package moonshot.executor.dialect;

import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.RestoreNode;

import java.util.List;

/**
 * One dialect's restore of one VM: refuse while the VM runs, remove its files on the running
 * datastore, bring the backup back under the same name, then verify the name, the id and the MACs. The steps depend on
 * each other's output, so the driver runs them itself, through the {@link RemoteShell} it is given; every value put
 * into a command is validated and shell-quoted, and nothing is changed on the hypervisor before every check that can
 * be made beforehand has passed.
 */
public interface RestoreDriver {

    Dialect dialect();

    /**
     * @throws UnsafeValueException    when a value must not go into a command (nothing was run)
     * @throws RestoreFailedException  with exactly what went wrong or what differs
     * @throws moonshot.executor.ssh.HypervisorUnreachableException when the hypervisor cannot be reached
     */
    Restored restore(HypervisorConnection hypervisor, RestoreNode command, RemoteShell shell);

    /** The VM as verified after the restore: its id on the hypervisor now, and its MACs in NIC order. */
    record Restored(String vmId, List<String> macs) {
    }
}

package moonshot.executor.dialect;

import moonshot.executor.ssh.CommandResult;

/**
 * Runs commands on the hypervisor a driver works on, one at a time; the caller chooses the transport and timeouts and
 * records what ran. A hypervisor that cannot be reached throws
 * {@link moonshot.executor.ssh.HypervisorUnreachableException}.
 */
public interface RemoteShell {

    /** A short command (a listing, a power state, a {@code cat}): the command timeout. */
    CommandResult run(String command);

    /** A command that moves a VM's data (a copy, a restore, a removal): the restore timeout. */
    CommandResult runLong(String command);
}

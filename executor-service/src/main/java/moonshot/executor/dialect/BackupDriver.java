package moonshot.executor.dialect;

import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;

import java.time.Instant;

/** Builds one dialect's backup command and reads what the tool printed. */
public interface BackupDriver {

    Dialect dialect();

    /**
     * The hot-backup command for one VM. Every value is validated and shell-quoted.
     *
     * @throws UnsafeValueException when a value must not go into a command
     */
    String backupCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now);

    /**
     * Reads the tool's output of a successful backup: both streams, since vzdump logs to stderr.
     *
     * @throws IllegalStateException when the output does not name the artifact
     */
    BackupOutput parse(BackupTarget target, String stdout, String stderr);

    /**
     * The command that prints the VM's configuration as backed up (the .vmx in the backup, or the domain XML), from
     * which {@link VmConfigs#macs} reads the MAC addresses a restore must bring back.
     */
    String captureConfigCommand(HypervisorConnection hypervisor, BackupTarget target, String artifactPath);

    /**
     * After a crash: the command that removes what a backup of {@code target} dispatched at {@code dispatchedAt}
     * left half-written in the backup target, printing each path it removed.
     */
    String removePartialCommand(HypervisorConnection hypervisor, BackupTarget target, Instant dispatchedAt);

    /** Where the artifact is, and when the tool says the snapshot started (null when it does not say). */
    record BackupOutput(String artifactPath, Instant snapshotStartedAt) {
    }
}

package moonshot.executor.dialect;

import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One dialect's hot backup of one VM. Informational output differs between versions of every tool, so a driver never
 * decides anything from it: a backup succeeded when the tool exited 0 and exactly one new artifact of the VM, of a
 * format the dialect restores, is found on the hypervisor ({@link NewArtifact}); when its snapshot began is watched on
 * the hypervisor itself ({@link SnapshotWitness}).
 */
public interface BackupDriver {

    Dialect dialect();

    /**
     * The hot-backup command for one VM. Every value is validated and shell-quoted. A dialect that must first look
     * at the VM (its disks) asks through {@code shell}, read-only; the others ask nothing.
     *
     * @throws UnsafeValueException when a value must not go into a command
     */
    String backupCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now, RemoteShell shell);

    /**
     * A command that prints, one absolute path per line, every artifact of the VM where the backup built at
     * {@code now} writes; it exits 0 when there is none. Run before the tool and after it: the new one is the backup's.
     */
    String listArtifactsCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now);

    /** The artifacts of the VM in a listing: lines that are not one (a log, a partial copy) are left out. */
    Set<String> artifacts(BackupTarget target, String listing);

    /**
     * Why a restore of this dialect could not read this artifact, or empty when it can; may look at it on the
     * hypervisor. The one place where the dialect says which formats it restores.
     */
    Optional<String> unrestorable(HypervisorConnection hypervisor, BackupTarget target, String artifactPath,
                                  RemoteShell shell);

    /**
     * How to see, on the hypervisor, that this VM's snapshot has begun; prepared before the tool starts (it may run
     * commands to learn an id).
     */
    SnapshotWitness snapshotWitness(HypervisorConnection hypervisor, BackupTarget target, Instant now,
                                    RemoteShell shell);

    /**
     * What an operator should know about a backup that still counts, from what the driver's own command printed
     * (never from a tool's informational wording). Empty by default.
     */
    default Optional<String> note(BackupTarget target, String stdout, String stderr) {
        return Optional.empty();
    }

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
}

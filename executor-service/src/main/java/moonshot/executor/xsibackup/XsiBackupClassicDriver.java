package moonshot.executor.xsibackup;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.DatedFolders;
import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.dialect.SnapshotWitness;
import moonshot.executor.ssh.CommandResult;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * ESXi with XSIBackup-Classic: {@code xsibackup --backup-point=<point> --backup-type=custom --backup-vms=<vm>}.
 * One VM per call, so a pair can be two concurrent calls (the tool backs up the VMs of one call one after another).
 * The tool writes {@code <point>/<yyyyMMddHHmmss>/<vm>/}; that folder, new since the dispatch, is the artifact. The
 * snapshot is watched with {@code vim-cmd vmsvc/snapshot.get <vmid>}: hostd gives every snapshot of a VM a new id.
 */
@ApplicationScoped
public class XsiBackupClassicDriver implements BackupDriver {

    static final String WITNESS = "vim-cmd vmsvc/snapshot.get";
    private static final Pattern SNAPSHOT_ID = Pattern.compile("^-*\\s*Snapshot Id\\s*:\\s*(\\d+)\\s*$");

    @Override
    public Dialect dialect() {
        return Dialect.XSIBACKUP_CLASSIC;
    }

    @Override
    public String backupCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now,
                                RemoteShell shell) {
        String point = CommandValues.absolutePath("backup target", hypervisor.backupTarget());
        String vm = CommandValues.vmName(target.vmName());
        return "xsibackup --backup-point=" + quote(point) + " --backup-type=custom --backup-vms=" + quote(vm);
    }

    @Override
    public String listArtifactsCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now) {
        return DatedFolders.listCommand(hypervisor.backupTarget(), target.vmName());
    }

    @Override
    public Set<String> artifacts(BackupTarget target, String listing) {
        return DatedFolders.parse(target.vmName(), listing);
    }

    /** A copy that {@code vim-cmd solo/registervm} can bring back: the folder holds the VM's .vmx and its disks. */
    @Override
    public Optional<String> unrestorable(HypervisorConnection hypervisor, BackupTarget target, String artifactPath,
                                         RemoteShell shell) {
        var contents = DatedFolders.contents(hypervisor.backupTarget(), artifactPath, shell);
        if (contents.problem() != null) {
            return Optional.of(contents.problem());
        }
        List<String> files = contents.files();
        String folder = contents.folder();
        boolean vmx = files.stream().anyMatch(f -> f.endsWith(".vmx"));
        boolean disk = files.stream().anyMatch(f -> f.endsWith(".vmdk"));
        if (!vmx || !disk) {
            return Optional.of(folder + " is not a restorable XSIBackup copy (it needs the VM's .vmx and .vmdk "
                    + "disks; it holds " + files + ")");
        }
        return Optional.empty();
    }

    /** hostd's snapshot record of the VM, by its Vmid (learnt from {@code vim-cmd vmsvc/getallvms}). */
    @Override
    public SnapshotWitness snapshotWitness(HypervisorConnection hypervisor, BackupTarget target, Instant now,
                                           RemoteShell shell) {
        String vm = CommandValues.vmName(target.vmName());
        CommandResult all = shell.run("vim-cmd vmsvc/getallvms");
        if (!all.succeeded()) {
            throw new IllegalStateException("`vim-cmd vmsvc/getallvms` " + all.failureMessage());
        }
        String vmid = GetAllVmsListing.parse(all.stdout(), hypervisor.runningDatastore()).stream()
                .filter(listed -> listed.name().equals(vm))
                .map(DiscoveryDriver.ListedVm::vmId)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("`vim-cmd vmsvc/getallvms` does not list " + vm));
        return new SnapshotWitness(WITNESS, WITNESS + " " + quote(vmid), XsiBackupClassicDriver::snapshotIds);
    }

    /** The {@code Snapshot Id} values of {@code vim-cmd vmsvc/snapshot.get}'s tree. */
    static Set<String> snapshotIds(String stdout) {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : stdout.lines().toList()) {
            Matcher id = SNAPSHOT_ID.matcher(line);
            if (id.matches()) {
                ids.add(id.group(1));
            }
        }
        return ids;
    }

    /** The .vmx copied into the backup folder: what a restore registers again. */
    @Override
    public String captureConfigCommand(HypervisorConnection hypervisor, BackupTarget target, String artifactPath) {
        String vm = CommandValues.vmName(target.vmName());
        return "cat -- " + quote(CommandValues.absolutePath("artifact path", artifactPath) + "/" + vm + ".vmx");
    }

    /**
     * A killed xsibackup leaves {@code <point>/<timestamp>/<vm>/} with a short disk copy that looks like a complete
     * one; only this VM's folders created since the dispatch are removed (one run per VM at a time). Leftover
     * snapshot files on the datastore are committed by the tool's next run.
     */
    @Override
    public String removePartialCommand(HypervisorConnection hypervisor, BackupTarget target, Instant dispatchedAt) {
        String point = CommandValues.absolutePath("backup target", hypervisor.backupTarget());
        return "find " + quote(point) + " -mindepth 2 -maxdepth 2 -type d -name " + quote(CommandValues.vmName(
                target.vmName())) + " -newermt @" + (dispatchedAt.getEpochSecond() - 1)
                + " -print -exec rm -rf -- {} +";
    }
}

package moonshot.executor.xsibackup;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.SnapshotTimes;

import java.time.Instant;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * ESXi with XSIBackup-Classic: {@code xsibackup --backup-point=<point> --backup-type=custom --backup-vms=<vm>}.
 * One VM per call, so a pair can be two concurrent calls (the tool backs up the VMs of one call one after another).
 */
@ApplicationScoped
public class XsiBackupClassicDriver implements BackupDriver {

    static final String FOLDER_LINE = "Backup folder: ";
    private static final java.util.regex.Pattern SNAPSHOT_STARTED =
            java.util.regex.Pattern.compile("^Snapshot of VM (\\S+) started at (\\S+)$");

    @Override
    public Dialect dialect() {
        return Dialect.XSIBACKUP_CLASSIC;
    }

    @Override
    public String backupCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now) {
        String point = CommandValues.absolutePath("backup target", hypervisor.backupTarget());
        String vm = CommandValues.vmName(target.vmName());
        return "xsibackup --backup-point=" + quote(point) + " --backup-type=custom --backup-vms=" + quote(vm);
    }

    /**
     * The tool ends with {@code Backup folder: <point>/<timestamp>}; the VM's copy is the folder named after it.
     * {@code Snapshot of VM <vm> started at <instant>} gives the moment the snapshot started.
     */
    @Override
    public BackupOutput parse(BackupTarget target, String stdout, String stderr) {
        String folder = stdout.lines()
                .filter(line -> line.startsWith(FOLDER_LINE))
                .map(line -> line.substring(FOLDER_LINE.length()).strip())
                .reduce((first, last) -> last)
                .orElseThrow(() -> new IllegalStateException("xsibackup did not print its backup folder"));
        Instant snapshotStarted = stdout.lines()
                .map(SNAPSHOT_STARTED::matcher)
                .filter(m -> m.matches() && m.group(1).equals(target.vmName()))
                .map(m -> SnapshotTimes.parse(m.group(2)))
                .filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        return new BackupOutput(folder + "/" + target.vmName(), snapshotStarted);
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

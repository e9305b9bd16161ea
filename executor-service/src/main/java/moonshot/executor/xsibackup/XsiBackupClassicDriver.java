package moonshot.executor.xsibackup;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.CommandValues;

import java.time.Instant;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * ESXi with XSIBackup-Classic: {@code xsibackup --backup-point=<point> --backup-type=custom --backup-vms=<vm>}.
 * One VM per call, so a pair can be two concurrent calls (the tool backs up the VMs of one call one after another).
 */
@ApplicationScoped
public class XsiBackupClassicDriver implements BackupDriver {

    static final String FOLDER_LINE = "Backup folder: ";

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

    /** The tool ends with {@code Backup folder: <point>/<timestamp>}; the VM's copy is the folder named after it. */
    @Override
    public BackupOutput parse(BackupTarget target, String stdout, String stderr) {
        String folder = stdout.lines()
                .filter(line -> line.startsWith(FOLDER_LINE))
                .map(line -> line.substring(FOLDER_LINE.length()).strip())
                .reduce((first, last) -> last)
                .orElseThrow(() -> new IllegalStateException("xsibackup did not print its backup folder"));
        return new BackupOutput(folder + "/" + target.vmName(), null);
    }
}

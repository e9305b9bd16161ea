package moonshot.executor.vzdump;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.SnapshotTimes;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * KVM with vzdump: {@code vzdump --compress --dumpdir <dir>/<date> --snapshot <vmid>}. VMs are named by their
 * configured VMID, because virsh gives a running VM a new Id at every start.
 */
@ApplicationScoped
public class VzdumpDriver implements BackupDriver {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final Pattern ARCHIVE = Pattern.compile("INFO: creating archive '([^']+)'");
    private static final Pattern SNAPSHOT_STARTED = Pattern.compile("INFO: snapshot of VM (\\d+) started at (\\S+)");

    @Override
    public Dialect dialect() {
        return Dialect.VZDUMP;
    }

    @Override
    public String backupCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now) {
        String dir = CommandValues.absolutePath("backup target", hypervisor.backupTarget()) + "/" + DATE.format(now);
        return "vzdump --compress --dumpdir " + quote(dir) + " --snapshot " + CommandValues.vmid(target.vzdumpVmid());
    }

    /** vzdump logs to stderr, as the real one does: {@code INFO: creating archive '<path>'}. */
    @Override
    public BackupOutput parse(BackupTarget target, String stdout, String stderr) {
        String archive = null;
        Instant snapshotStarted = null;
        String vmid = String.valueOf(target.vzdumpVmid());
        for (String line : (stdout + "\n" + stderr).lines().toList()) {
            Matcher matcher = ARCHIVE.matcher(line);
            if (matcher.find()) {
                archive = matcher.group(1);
            }
            Matcher snapshot = SNAPSHOT_STARTED.matcher(line);
            if (snapshot.find() && snapshot.group(1).equals(vmid) && snapshotStarted == null) {
                snapshotStarted = SnapshotTimes.parse(snapshot.group(2));
            }
        }
        if (archive == null) {
            throw new IllegalStateException("vzdump did not print the archive it created");
        }
        return new BackupOutput(archive, snapshotStarted);
    }

    /** The domain XML by name: vzdump keeps the config inside its archive, virsh shows it in the clear. */
    @Override
    public String captureConfigCommand(HypervisorConnection hypervisor, BackupTarget target, String artifactPath) {
        return "virsh dumpxml " + quote(CommandValues.vmName(target.vmName()));
    }

    /** A killed vzdump leaves {@code vzdump-qemu-<vmid>-<stamp>.vma.dat}: always partial, since only done ones are renamed. */
    @Override
    public String removePartialCommand(HypervisorConnection hypervisor, BackupTarget target, Instant dispatchedAt) {
        String point = CommandValues.absolutePath("backup target", hypervisor.backupTarget());
        return "find " + quote(point) + " -maxdepth 2 -type f -name " + quote("vzdump-qemu-"
                + CommandValues.vmid(target.vzdumpVmid()) + "-*.vma.dat") + " -print -delete";
    }
}

package moonshot.executor.vzdump;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.CommandValues;

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
        for (String line : (stdout + "\n" + stderr).lines().toList()) {
            Matcher matcher = ARCHIVE.matcher(line);
            if (matcher.find()) {
                archive = matcher.group(1);
            }
        }
        if (archive == null) {
            throw new IllegalStateException("vzdump did not print the archive it created");
        }
        return new BackupOutput(archive, null);
    }
}

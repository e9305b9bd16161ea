package moonshot.executor.vzdump;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.NewArtifact;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.dialect.SnapshotWitness;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * KVM with vzdump: {@code vzdump --compress --dumpdir <dir>/<date> --snapshot <vmid>}. VMs are named by their
 * configured VMID, because virsh gives a running VM a new Id at every start. The archive is the
 * {@code vzdump-qemu-<vmid>-<stamp>.<format>} that is new in the dump directory since the dispatch (1.x writes
 * {@code .tgz}, Proxmox VE {@code .vma.*}); none of vzdump's lines is needed.
 */
@ApplicationScoped
public class VzdumpDriver implements BackupDriver {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final String WITNESS = "vzdump's files of the VMID";

    @Override
    public Dialect dialect() {
        return Dialect.VZDUMP;
    }

    @Override
    public String backupCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now,
                                RemoteShell shell) {
        return "vzdump --compress --dumpdir " + quote(dumpDir(hypervisor, now)) + " --snapshot "
                + CommandValues.vmid(target.vzdumpVmid());
    }

    @Override
    public String listArtifactsCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now) {
        return filesOf(dumpDir(hypervisor, now), CommandValues.vmid(target.vzdumpVmid()));
    }

    @Override
    public Set<String> artifacts(BackupTarget target, String listing) {
        String vmid = CommandValues.vmid(target.vzdumpVmid());
        Set<String> archives = new LinkedHashSet<>();
        for (String path : NewArtifact.lines(listing)) {
            if (VzdumpFormats.isArchiveOf(path.substring(path.lastIndexOf('/') + 1), vmid)) {
                archives.add(path);
            }
        }
        return archives;
    }

    @Override
    public Optional<String> unrestorable(HypervisorConnection hypervisor, BackupTarget target, String artifactPath,
                                         RemoteShell shell) {
        return VzdumpFormats.unrestorable(artifactPath.substring(artifactPath.lastIndexOf('/') + 1),
                CommandValues.vmid(target.vzdumpVmid()));
    }

    /**
     * vzdump starts a VMID's files (its log, then the archive being written) when that VMID's backup begins, after
     * the host's lock is held; a new base name in the dump directory means its snapshot is under way. A second
     * vzdump waiting on the lock shows nothing until the first has finished, so the wait is part of what is seen.
     */
    @Override
    public SnapshotWitness snapshotWitness(HypervisorConnection hypervisor, BackupTarget target, Instant now,
                                           RemoteShell shell) {
        String vmid = CommandValues.vmid(target.vzdumpVmid());
        return new SnapshotWitness(WITNESS, filesOf(dumpDir(hypervisor, now), vmid), listing -> {
            Set<String> bases = new LinkedHashSet<>();
            for (String path : NewArtifact.lines(listing)) {
                String file = path.substring(path.lastIndexOf('/') + 1);
                int dot = file.indexOf('.');
                if (file.startsWith("vzdump-qemu-" + vmid + "-") && dot > 0) {
                    bases.add(file.substring(0, dot));
                }
            }
            return bases;
        });
    }

    /** The domain XML by name: vzdump keeps the config inside its archive, virsh shows it in the clear. */
    @Override
    public String captureConfigCommand(HypervisorConnection hypervisor, BackupTarget target, String artifactPath) {
        return "virsh dumpxml " + quote(CommandValues.vmName(target.vmName()));
    }

    /**
     * A killed vzdump leaves the archive it was writing under the name with its last extension replaced by
     * {@code .dat} ({@code vzdump-qemu-<vmid>-<stamp>.dat} for a {@code .tgz}, {@code ….vma.dat} for a
     * {@code .vma.lzo}): always partial, since only finished ones are renamed.
     */
    @Override
    public String removePartialCommand(HypervisorConnection hypervisor, BackupTarget target, Instant dispatchedAt) {
        String point = CommandValues.absolutePath("backup target", hypervisor.backupTarget());
        return "find " + quote(point) + " -maxdepth 2 -type f -name " + quote("vzdump-qemu-"
                + CommandValues.vmid(target.vzdumpVmid()) + "-*.dat") + " -print -delete";
    }

    private static String dumpDir(HypervisorConnection hypervisor, Instant now) {
        return CommandValues.absolutePath("backup target", hypervisor.backupTarget()) + "/" + DATE.format(now);
    }

    /** Every file of the VMID in the dump directory, one path per line; nothing (exit 0) when there is none yet. */
    private static String filesOf(String dir, String vmid) {
        return "for f in " + quote(dir) + "/" + quote("vzdump-qemu-" + vmid + "-") + "*; do [ -e \"$f\" ] && "
                + "echo \"$f\"; done; true";
    }
}

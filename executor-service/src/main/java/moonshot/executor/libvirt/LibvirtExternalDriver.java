package moonshot.executor.libvirt;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.DatedFolders;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.dialect.SnapshotWitness;
import moonshot.executor.dialect.UnsafeValueException;
import moonshot.executor.ssh.CommandResult;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * KVM on plain libvirt, where nothing serialises two VMs: each node's command freezes the guest's filesystems
 * ({@code virsh domfsfreeze}, through its guest agent), takes an external disk-only snapshot of every disk at once
 * ({@code virsh snapshot-create-as --disk-only --atomic --no-metadata}, the overlay named by {@code --diskspec}),
 * thaws, copies the now read-only base images into {@code <point>/<yyyyMMddHHmmss>/<vm>/} with {@code qemu-img
 * convert}, merges the overlay back ({@code virsh blockcommit --active --pivot}) and keeps the domain XML, back on
 * its base images, beside the copies. Both
 * commands of a pair are released at one barrier, so the two snapshots start together. A guest without a responding
 * agent is snapshotted crash-consistent, and the backup says so. Whatever fails after the snapshot, the overlay is
 * merged back before the command ends; a failed run removes its copy.
 */
@ApplicationScoped
public class LibvirtExternalDriver implements BackupDriver {

    static final String WITNESS = "virsh domblklist";
    static final String SNAPSHOT_PREFIX = "moonshot-";
    static final String CRASH_CONSISTENT = "moonshot: guest agent did not freeze ";
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    @Override
    public Dialect dialect() {
        return Dialect.LIBVIRT_EXTERNAL;
    }

    @Override
    public String backupCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now,
                                RemoteShell shell) {
        String vm = CommandValues.vmName(target.vmName());
        String point = CommandValues.absolutePath("backup target", hypervisor.backupTarget());
        String folder = point + "/" + FOLDER.format(now) + "/" + vm;
        String snapshot = SNAPSHOT_PREFIX + now.getEpochSecond();
        CommandResult listed = shell.run("virsh domblklist " + quote(vm) + " --details");
        if (!listed.succeeded()) {
            throw new IllegalStateException("`" + listed.command() + "` " + listed.failureMessage());
        }
        List<VirshBlockList.Disk> disks = VirshBlockList.fileDisks(listed.stdout());
        if (disks.isEmpty()) {
            throw new IllegalStateException(vm + " has no file-backed disk to back up");
        }
        return script(vm, folder, snapshot, disks);
    }

    static String script(String vm, String folder, String snapshot, List<VirshBlockList.Disk> disks) {
        String q = quote(vm);
        var s = new StringBuilder();
        // Nothing but the freeze comes before the snapshot, so the pair's two snapshots follow the barrier closely;
        // the domain XML is taken at the end, once blockcommit has put the disks back on their base images.
        s.append("d=").append(quote(folder)).append("; rc=0; mkdir -p \"$d\" || exit 1; ");
        s.append("frozen=no; if virsh domfsfreeze ").append(q).append("; then frozen=yes; else echo ")
                .append(quote(CRASH_CONSISTENT + vm + ": its snapshot is crash-consistent")).append(" >&2; fi; ");
        s.append("if ! virsh snapshot-create-as ").append(q).append(" --name ").append(quote(snapshot))
                .append(" --disk-only --atomic --no-metadata");
        for (VirshBlockList.Disk disk : disks) {
            s.append(" --diskspec ").append(quote(target(disk) + ",snapshot=external,file=" + overlay(disk,
                    snapshot)));
        }
        s.append("; then [ $frozen = no ] || virsh domfsthaw ").append(q).append("; rm -rf -- \"$d\"; exit 1; fi; ");
        s.append("[ $frozen = no ] || virsh domfsthaw ").append(q).append(" || rc=1; ");
        for (VirshBlockList.Disk disk : disks) {
            s.append("qemu-img convert -O qcow2 ").append(quote(source(disk))).append(" \"$d\"/")
                    .append(quote(fileName(disk))).append(" || rc=1; ");
        }
        for (VirshBlockList.Disk disk : disks) {
            s.append("if virsh blockcommit ").append(q).append(" ").append(quote(target(disk)))
                    .append(" --active --pivot; then rm -f -- ").append(quote(overlay(disk, snapshot)))
                    .append("; else rc=1; fi; ");
        }
        s.append("[ $rc = 0 ] && virsh dumpxml ").append(q).append(" > \"$d\"/").append(quote(vm + ".xml"))
                .append(" || rc=1; [ $rc = 0 ] || rm -rf -- \"$d\"; exit $rc");
        return s.toString();
    }

    private static String target(VirshBlockList.Disk disk) {
        if (!disk.target().matches("[a-z]{2,4}[a-z0-9]{1,4}")) {
            throw new UnsafeValueException("disk target " + CommandValues.printable(disk.target())
                    + " is not a libvirt target name");
        }
        return disk.target();
    }

    private static String source(VirshBlockList.Disk disk) {
        String source = CommandValues.absolutePath("disk image", disk.source());
        if (fileName(disk).contains("." + SNAPSHOT_PREFIX)) {
            throw new IllegalStateException("disk " + disk.target() + " already runs on an overlay (" + source
                    + ") left by an earlier run; it is merged back when the executor recovers it");
        }
        return source;
    }

    private static String fileName(VirshBlockList.Disk disk) {
        return disk.source().substring(disk.source().lastIndexOf('/') + 1);
    }

    /** Beside the base image, named as libvirt would name it: the image's suffix replaced by the snapshot's name. */
    static String overlay(VirshBlockList.Disk disk, String snapshot) {
        String source = source(disk);
        int slash = source.lastIndexOf('/');
        int dot = source.lastIndexOf('.');
        String stem = dot > slash ? source.substring(0, dot) : source;
        return stem + "." + snapshot;
    }

    @Override
    public String listArtifactsCommand(HypervisorConnection hypervisor, BackupTarget target, Instant now) {
        return DatedFolders.listCommand(hypervisor.backupTarget(), target.vmName());
    }

    @Override
    public Set<String> artifacts(BackupTarget target, String listing) {
        return DatedFolders.parse(target.vmName(), listing);
    }

    /** The domain XML and at least one disk image beside it: what {@code virsh define} and the copy back need. */
    @Override
    public Optional<String> unrestorable(HypervisorConnection hypervisor, BackupTarget target, String artifactPath,
                                         RemoteShell shell) {
        var contents = DatedFolders.contents(hypervisor.backupTarget(), artifactPath, shell);
        if (contents.problem() != null) {
            return Optional.of(contents.problem());
        }
        List<String> files = contents.files();
        String folder = contents.folder();
        String xml = CommandValues.vmName(target.vmName()) + ".xml";
        if (!files.contains(xml) || files.size() < 2) {
            return Optional.of(folder + " is not a restorable libvirt-external copy (it needs " + xml
                    + " and the disk images; it holds " + files + ")");
        }
        return Optional.empty();
    }

    /** The disk's Source moving to an overlay: libvirt's own record of the snapshot having been taken. */
    @Override
    public SnapshotWitness snapshotWitness(HypervisorConnection hypervisor, BackupTarget target, Instant now,
                                           RemoteShell shell) {
        return new SnapshotWitness(WITNESS, "virsh domblklist " + quote(CommandValues.vmName(target.vmName())),
                stdout -> new LinkedHashSet<>(VirshBlockList.sources(stdout)));
    }

    @Override
    public Optional<String> note(BackupTarget target, String stdout, String stderr) {
        return stderr.lines().filter(line -> line.startsWith(CRASH_CONSISTENT)).findFirst()
                .map(line -> line.substring("moonshot: ".length()));
    }

    @Override
    public String captureConfigCommand(HypervisorConnection hypervisor, BackupTarget target, String artifactPath) {
        String vm = CommandValues.vmName(target.vmName());
        return "cat -- " + quote(CommandValues.absolutePath("artifact path", artifactPath) + "/" + vm + ".xml");
    }

    /**
     * After a crash: every disk of the VM still on one of this dialect's overlays is merged back (an overlay left
     * alone grows for ever) and the overlay removed; then this VM's copies begun since the dispatch are removed.
     * Each path removed is printed.
     */
    @Override
    public String removePartialCommand(HypervisorConnection hypervisor, BackupTarget target, Instant dispatchedAt) {
        String vm = quote(CommandValues.vmName(target.vmName()));
        String point = quote(CommandValues.absolutePath("backup target", hypervisor.backupTarget()));
        return "virsh domblklist " + vm + " | while read -r t s; do case \"$s\" in *." + SNAPSHOT_PREFIX
                + "[0-9]*) virsh blockcommit " + vm + " \"$t\" --active --pivot >/dev/null && rm -f -- \"$s\" "
                + "&& echo \"$s\";; esac; done; find " + point + " -mindepth 2 -maxdepth 2 -type d -name " + vm
                + " -newermt @" + (dispatchedAt.getEpochSecond() - 1) + " -print -exec rm -rf -- {} +";
    }
}

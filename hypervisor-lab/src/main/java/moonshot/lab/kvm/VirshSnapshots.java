package moonshot.lab.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.Fault;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.ToolCall;

/**
 * {@code virsh snapshot-create-as <dom> [--name <n>] --disk-only [--atomic] [--no-metadata] [--quiesce]
 * [--reuse-external] [--diskspec vda,snapshot=external,file=<path>]}: an external disk-only snapshot. The domain's
 * disk moves to a new overlay whose backing file is the image it was writing until then, which nothing writes from
 * that instant on. Output and errors as libvirt's {@code virsh-snapshot.c} (virshSnapshotCreate),
 * {@code snapshot_conf.c} (default names) and {@code qemu_snapshot.c} (checks) print them.
 *
 * <p>It takes a twentieth of the host's backup duration (five times that with SLOW): two fifths preparing, then
 * the snapshot instant (the action log's {@code SNAPSHOT_STARTED}), then the rest until it returns. Two calls for
 * two domains do not wait for each other.
 */
final class VirshSnapshots {
    private static final String COMMAND = "snapshot-create-as";
    private static final Set<String> FLAGS = Set.of("print-xml", "no-metadata", "halt", "disk-only", "reuse-external",
            "quiesce", "atomic", "live", "validate");
    private static final Set<String> VALUES = Set.of("domain", "name", "description", "memspec", "diskspec");

    private VirshSnapshots() {
    }

    /** What one {@code --diskspec} asked for. */
    private record DiskSpec(String disk, boolean snapshot, String file) {
    }

    static int createAs(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        VirshArgs a = VirshArgs.parse(COMMAND, args, FLAGS, VALUES, List.of("domain", "name", "description"),
                "diskspec");
        if (a.error().isPresent()) {
            call.errLine("error: " + a.error().get());
            return 1;
        }
        if (a.value("domain").isEmpty()) {
            call.errLine("error: command '" + COMMAND + "' requires <domain> option");
            return 1;
        }
        Optional<Fault> fault = call.fault(EnumSet.of(Fault.SNAPSHOT_ERROR));
        Optional<String> found = Virsh.findDomain(call, a.value("domain").get());
        if (found.isEmpty()) {
            return 1;
        }
        String vm = found.get();
        if (!a.has("disk-only") || a.has("print-xml") || a.has("halt") || a.value("memspec").isPresent()) {
            call.errLine("error: this lab simulates only external disk-only snapshots (--disk-only, "
                    + "without --print-xml, --halt or --memspec)");
            return 1;
        }
        KvmHost kvm = call.host.kvm;
        DomainXml domain = kvm.domain(vm).orElseThrow();
        List<DiskSpec> specs = new ArrayList<>();
        for (String spec : a.values("diskspec")) {
            specs.add(parseSpec(spec));
        }
        for (DiskSpec spec : specs) {
            if (!spec.disk().equals(domain.target()) && !spec.disk().equals(domain.disk().toString())) {
                call.errLine("error: unsupported configuration: no disk named '" + spec.disk() + "'");
                return 1;
            }
        }
        if (specs.stream().anyMatch(s -> !s.snapshot())) {
            call.errLine("error: unsupported configuration: disk-only snapshots require at least one disk to be "
                    + "selected for snapshot");
            return 1;
        }
        boolean quiesce = a.has("quiesce");
        if (quiesce && kvm.isOn(vm) && !kvm.hasGuestAgent(vm)) {
            call.errLine("error: Guest agent is not responding: QEMU guest agent is not connected");
            return 1;
        }
        String name = a.value("name").orElse(Long.toString(call.host.clock.instant().getEpochSecond()));
        Optional<String> file = specs.stream().map(DiskSpec::file).filter(f -> f != null).findFirst();
        Path overlay = file.map(call::resolve).orElse(defaultOverlay(domain.disk(), name));
        if (Files.isRegularFile(overlay) && Files.size(overlay) > 0 && !a.has("reuse-external")) {
            call.errLine("error: unsupported configuration: external snapshot file for disk " + domain.target()
                    + " already exists and is not a block device: " + overlay);
            return 1;
        }

        Duration total = call.scaled(call.host.timing.backup()).dividedBy(20);
        Duration preparing = total.multipliedBy(2).dividedBy(5);
        call.progress("vm", vm);
        call.pause(preparing);
        if (fault.isPresent()) {
            call.log("SNAPSHOT_FAILED", "vm", vm, "snapshot", name, "reason", "snapshot error");
            call.errLine("error: internal error: unable to execute QEMU command 'transaction': "
                    + "Could not create file: Permission denied");
            return 1;
        }
        boolean running = kvm.isOn(vm);
        if (quiesce && running) {
            kvm.setFrozen(vm, true);
            call.log("FROZEN", "vm", vm, "filesystems", Integer.toString(VirshGuestAgent.FILESYSTEMS), "by", COMMAND);
        }
        Optional<String> problem = kvm.withDisks(() -> takeSnapshot(call, vm, name, overlay));
        if (quiesce && running) {
            kvm.setFrozen(vm, false);
            call.log("THAWED", "vm", vm, "filesystems", Integer.toString(VirshGuestAgent.FILESYSTEMS), "by", COMMAND);
        }
        if (problem.isPresent()) {
            call.errLine(problem.get());
            return 1;
        }
        call.progress("overlay", overlay.toString());
        call.pause(total.minus(preparing));
        call.log("SNAPSHOT_FINISHED", "vm", vm, "snapshot", name, "overlay", overlay.toString());
        call.progress("overlay", null);
        call.progress("vm", null);
        if (!quiet) {
            call.out("Domain snapshot " + name + " created");
        }
        return 0;
    }

    /** The snapshot instant: under the disk lock, so no guest write lands on either side of it by halves. */
    private static Optional<String> takeSnapshot(ToolCall call, String vm, String name, Path overlay)
            throws IOException {
        KvmHost kvm = call.host.kvm;
        DomainXml domain = kvm.domain(vm).orElseThrow();
        Path top = domain.disk();
        List<Path> chain = DiskChain.of(top);
        Optional<Path> missing = DiskChain.missing(chain);
        if (missing.isPresent()) {
            return Optional.of("error: Cannot access storage file '" + missing.get()
                    + "': No such file or directory");
        }
        QcowOverlay.create(overlay, top, DiskChain.virtualSize(top));
        List<Path> newChain = new ArrayList<>();
        newChain.add(overlay);
        newChain.addAll(chain);
        kvm.writeDomain(vm, domain.withDiskChain(newChain));
        call.log("SNAPSHOT_STARTED", "vm", vm, "snapshot", name, "overlay", overlay.toString(),
                "backing", top.toString());
        return Optional.empty();
    }

    /** libvirt's default: the current image's path with its suffix replaced by the snapshot name. */
    static Path defaultOverlay(Path top, String name) {
        String path = top.toString();
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        String stem = dot > slash ? path.substring(0, dot) : path;
        return Path.of(stem + "." + name);
    }

    private static DiskSpec parseSpec(String spec) {
        String[] parts = spec.split(",");
        boolean snapshot = true;
        String file = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].equals("snapshot")) {
                snapshot = !kv[1].equals("no");
            } else if (kv.length == 2 && kv[0].equals("file")) {
                file = kv[1];
            }
        }
        return new DiskSpec(parts[0], snapshot, file);
    }
}

package moonshot.lab.esxi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import moonshot.lab.Fault;
import moonshot.lab.LabAction;
import moonshot.lab.Names;
import moonshot.lab.Stamps;
import moonshot.lab.Wording;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.PacedCopy;
import moonshot.lab.tool.Tool;
import moonshot.lab.tool.ToolCall;

/**
 * XSIBackup-Classic: backs the listed VMs up one after another into
 * {@code <backup-point>/<yyyyMMddHHmmss>/<vm>/}, committing any snapshot a VM still has first, then
 * taking its own snapshot for the hot copy and removing it afterwards.
 */
final class XsiBackup implements Tool {
    static final String RULE = "-------------------------------------------------------------------------------";

    @Override
    public int run(ToolCall call) throws CallerGone, IOException {
        Map<String, String> options = parse(call.args);
        Optional<Fault> fault = call.fault(EnumSet.of(Fault.DISK_FULL, Fault.SNAPSHOT_ERROR, Fault.SLOW));
        String point = options.get("backup-point");
        String type = options.getOrDefault("backup-type", "custom");
        if (point == null || point.isEmpty()) {
            call.errLine("ERROR: --backup-point=<directory> is required");
            return 1;
        }
        List<EsxiHost.Vm> vms = select(call, type, options.get("backup-vms"));
        if (vms == null) {
            return 1;
        }
        Instant start = call.host.clock.instant();
        Path folder = call.resolve(point).resolve(Stamps.XSI_FOLDER.format(start));
        banner(call, call.resolve(point), type, vms, start);
        Files.createDirectories(folder);
        int failed = 0;
        for (EsxiHost.Vm vm : vms) {
            call.outLine(RULE);
            if (!backUp(call, vm, folder, fault.orElse(null))) {
                failed++;
            }
        }
        Instant end = call.host.clock.instant();
        call.outLine(RULE);
        call.outLine("Backup end date: " + Stamps.HUMAN.format(end) + " UTC, total time "
                + Stamps.elapsed(Duration.between(start, end)));
        if (failed > 0) {
            call.errLine("ERROR: " + failed + " of " + vms.size() + " VMs could not be backed up");
            return 1;
        }
        return 0;
    }

    /** Accepts {@code --key=value} as XSIBackup does, and {@code --key value} to be forgiving. */
    private static Map<String, String> parse(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                options.put(arg.substring(2), args.get(++i));
            } else {
                options.put(arg.substring(2), "");
            }
        }
        return options;
    }

    /** @return the VMs in the order given, or null after printing why not */
    private static List<EsxiHost.Vm> select(ToolCall call, String type, String names) throws CallerGone, IOException {
        EsxiHost esxi = call.host.esxi;
        List<EsxiHost.Vm> vms = new ArrayList<>();
        switch (type) {
            case "custom":
                if (names == null || names.isBlank()) {
                    call.errLine("ERROR: --backup-type=custom needs --backup-vms=<vm>[,<vm>...]");
                    return null;
                }
                for (String name : names.split(",")) {
                    String n = name.trim();
                    Optional<EsxiHost.Vm> vm = Names.isVmName(n) ? esxi.byName(n) : Optional.empty();
                    if (vm.isEmpty()) {
                        call.errLine("ERROR: VM \"" + n + "\" could not be found on this host, check --backup-vms");
                        return null;
                    }
                    vms.add(vm.get());
                }
                return vms;
            case "all":
            case "running":
                for (EsxiHost.Vm vm : esxi.registered()) {
                    if (vm.config() != null && (type.equals("all") || esxi.isOn(vm.vmid()))) {
                        vms.add(vm);
                    }
                }
                return vms;
            default:
                call.errLine("ERROR: unknown --backup-type '" + type + "' (custom, all or running)");
                return null;
        }
    }

    /** The banner differs between releases; no driver may depend on it. */
    private static void banner(ToolCall call, Path point, String type, List<EsxiHost.Vm> vms, Instant start)
            throws CallerGone {
        List<String> names = new ArrayList<>();
        vms.forEach(vm -> names.add(vm.name()));
        if (call.host.wording() == Wording.NEWER) {
            call.out("(c) 33HOPS XSIBackup-Free 11.2.15 - backup of " + String.join(", ", names) + "\n"
                    + "Job started " + Stamps.HUMAN.format(start) + " on " + call.host.name + " -> " + point
                    + " (mode " + type + ")\n");
            return;
        }
        call.out("###############################################################################\n"
                + "#\n"
                + "#  XSIBackup-Classic 11.2.14\n"
                + "#  Host " + call.host.name + ", backup point " + point + ", backup type " + type + "\n"
                + "#\n"
                + "###############################################################################\n"
                + "Backup start date: " + Stamps.HUMAN.format(start) + " UTC\n"
                + "VMs to back up: " + String.join(" ", names) + "\n");
    }

    private static boolean backUp(ToolCall call, EsxiHost.Vm vm, Path folder, Fault fault)
            throws CallerGone, IOException {
        String name = vm.name();
        Instant started = call.host.clock.instant();
        Duration total = call.scaled(call.host.timing.backup());
        Duration snapshotTime = total.multipliedBy(5).dividedBy(100);
        call.outLine("Backing up VM " + name);
        call.log("BACKUP_STARTED", "vm", name, "vmid", Integer.toString(vm.vmid()));
        call.progress("vm", name);

        List<Path> leftovers = vm.snapshotFiles();
        if (!leftovers.isEmpty()) {
            call.outLine("Found existing snapshots of VM " + name + ", committing them first");
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
        call.log("SNAPSHOTS_COMMITTED", "vm", name, "existing", Integer.toString(leftovers.isEmpty() ? 0 : 1));

        boolean newer = call.host.wording() == Wording.NEWER;
        call.outLine(newer ? "[" + name + "] creating snapshot" : "Creating snapshot of VM " + name);
        // The snapshot exists (its delta files and vim-cmd vmsvc/snapshot.get show it) from the consistency point on.
        List<Path> snapshot = takeSnapshot(vm);
        LabAction taken = call.log("SNAPSHOT_STARTED", "vm", name);
        // hostd's record (id, creation time) after the consistency point: it takes the host state's lock, which the
        // other VM of a pair wants at the same instant; until then snapshot.get reads the delta files' own time.
        call.host.esxi.recordSnapshot(vm, taken.at());
        call.pause(snapshotTime);
        if (fault == Fault.SNAPSHOT_ERROR) {
            for (Path p : snapshot) {
                Files.deleteIfExists(p);
            }
            call.log("SNAPSHOT_FAILED", "vm", name);
            call.errLine("ERROR: Cannot create snapshot of VM " + name + ": An error occurred while taking a snapshot:"
                    + " Failed to quiesce the virtual machine.");
            call.log("BACKUP_FAILED", "vm", name, "reason", "snapshot error");
            call.errLine("ERROR: Backup of " + name + " failed");
            return false;
        }
        call.progress("snapshot", snapshot.get(0).toString());
        call.log("SNAPSHOT_FINISHED", "vm", name);
        call.outLine("Snapshot created");

        Path target = folder.resolve(name);
        Files.createDirectories(target);
        call.outLine("Copying " + vm.vmx().getFileName());
        Files.copy(vm.vmx(), target.resolve(vm.vmx().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(vm.descriptor(), target.resolve(vm.descriptor().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path flat = vm.flatDisk();
        long size = Files.size(flat);
        Path copy = target.resolve(flat.getFileName());
        call.progress("partial", copy.toString());
        call.outLine("Copying " + flat.getFileName() + " (" + size + " bytes)");
        boolean copied;
        try (InputStream in = Files.newInputStream(flat); OutputStream out = Files.newOutputStream(copy)) {
            int[] lastQuarter = {0};
            copied = PacedCopy.copy(call, in, out, size, total.multipliedBy(90).dividedBy(100),
                    fault == Fault.DISK_FULL, (done, all) -> {
                        int quarter = all == 0 ? 4 : (int) (done * 4 / all);
                        if (newer && quarter > lastQuarter[0]) {
                            lastQuarter[0] = quarter;
                            call.outLine("[" + name + "] " + (quarter * 25) + "% done");
                        }
                    });
        }
        if (!copied) {
            call.errLine("Failed to clone disk: No space left on device (1835020).");
            removeSnapshot(call, vm, snapshot, Duration.ZERO);
            call.log("BACKUP_FAILED", "vm", name, "reason", "No space left on device", "partial", copy.toString());
            call.errLine("ERROR: Backup of " + name + " failed: No space left on device");
            call.progress("partial", null);
            return false;
        }
        removeSnapshot(call, vm, snapshot, snapshotTime);
        call.outLine("Backup of " + name + " finished ("
                + Stamps.elapsed(Duration.between(started, call.host.clock.instant())) + ")");
        call.log("BACKUP_FINISHED", "vm", name, "path", target.toString(), "bytes", Long.toString(size));
        call.progress("partial", null);
        call.progress("vm", null);
        return true;
    }

    /** What ESXi leaves in the VM folder while a snapshot exists; an aborted run leaves them behind. */
    private static List<Path> takeSnapshot(EsxiHost.Vm vm) throws IOException {
        String base = vm.descriptor().getFileName().toString().replaceFirst("\\.vmdk$", "");
        Path descriptor = vm.dir().resolve(base + "-000001.vmdk");
        Path delta = vm.dir().resolve(base + "-000001-delta.vmdk");
        Files.writeString(descriptor, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=fffffffe\n"
                + "createType=\"vmfsSparse\"\nparentFileNameHint=\"" + vm.descriptor().getFileName() + "\"\n");
        Files.write(delta, new byte[0]);
        return List.of(descriptor, delta);
    }

    private static void removeSnapshot(ToolCall call, EsxiHost.Vm vm, List<Path> snapshot, Duration time)
            throws CallerGone, IOException {
        call.pause(time);
        for (Path p : snapshot) {
            Files.deleteIfExists(p);
        }
        call.progress("snapshot", null);
        call.log("SNAPSHOT_REMOVED", "vm", vm.name());
        call.outLine("Snapshot removed");
    }
}

package moonshot.lab.esxi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import moonshot.lab.DiskImages;
import moonshot.lab.HostLayout;
import moonshot.lab.HostState;
import moonshot.lab.VmSpec;
import moonshot.lab.tool.Tool;

/** The ESXi side of a host's disk state: registered VMs, their folders and their power. */
public final class EsxiHost {
    private final String hostName;
    private final HostLayout layout;
    private final HostState state;
    /** Registering and unregistering rewrite the inventory; concurrent calls must not lose an entry. */
    private final Object inventoryLock = new Object();

    public EsxiHost(String hostName, HostLayout layout, HostState state) {
        this.hostName = hostName;
        this.layout = layout;
        this.state = state;
    }

    /** The simulated tools on an ESXi host's PATH, by command name. */
    public static Map<String, Tool> tools() {
        return Map.of("vim-cmd", new VimCmd(), "xsibackup", new XsiBackup());
    }

    /** A registered VM; {@code config} is null when its {@code .vmx} is gone (hostd calls it invalid). */
    public record Vm(int vmid, Path vmx, VmxFile config) {
        public String name() {
            return config == null ? "" : config.displayName();
        }

        Path dir() {
            return vmx.getParent();
        }

        Path descriptor() {
            String file = config == null || config.diskFileName() == null ? name() + ".vmdk" : config.diskFileName();
            return dir().resolve(file);
        }

        public Path flatDisk() {
            String descriptor = descriptor().getFileName().toString();
            return dir().resolve(descriptor.replaceFirst("\\.vmdk$", "") + "-flat.vmdk");
        }

        List<Path> snapshotFiles() throws IOException {
            String prefix = descriptor().getFileName().toString().replaceFirst("\\.vmdk$", "") + "-0000";
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(dir())) {
                try (var list = Files.list(dir())) {
                    list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().forEach(files::add);
                }
            }
            return files;
        }
    }

    List<Vm> registered() throws IOException {
        List<Vm> vms = new ArrayList<>();
        for (EsxiInventory.Entry e : EsxiInventory.read(layout.esxiInventory())) {
            VmxFile config = Files.isRegularFile(e.vmx()) ? VmxFile.read(e.vmx()) : null;
            vms.add(new Vm(e.vmid(), e.vmx(), config));
        }
        return vms;
    }

    public Optional<Vm> byId(String id) throws IOException {
        if (id == null || !id.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        int vmid = Integer.parseInt(id);
        return registered().stream().filter(vm -> vm.vmid() == vmid).findFirst();
    }

    public Optional<Vm> byName(String name) throws IOException {
        return registered().stream().filter(vm -> vm.config() != null && vm.name().equals(name)).findFirst();
    }

    public boolean isOn(int vmid) {
        return state.read(v -> v.isOn(key(vmid)));
    }

    /** On by a power command: the dashboard stand-in reports it Deployed from {@code deployedAt} on. */
    void powerOn(int vmid, java.time.Instant deployedAt) {
        state.update(p -> HostState.setOn(p, key(vmid), deployedAt));
    }

    void setPower(int vmid, boolean on) {
        state.update(p -> {
            if (on) {
                HostState.setOn(p, key(vmid));
            } else {
                HostState.setOff(p, key(vmid));
            }
        });
    }

    /** @return the new Vmid, or empty when that {@code .vmx} is registered already */
    Optional<Integer> register(Path vmx) throws IOException {
        Path normalized = vmx.toAbsolutePath().normalize();
        synchronized (inventoryLock) {
            List<EsxiInventory.Entry> entries = EsxiInventory.read(layout.esxiInventory());
            if (entries.stream().anyMatch(e -> e.vmx().normalize().equals(normalized))) {
                return Optional.empty();
            }
            int highest = entries.stream().mapToInt(EsxiInventory.Entry::vmid).max().orElse(0);
            // hostd never reuses a Vmid, even after the VM holding it was unregistered.
            int vmid = state.updateAndGet(p -> {
                int next = Math.max(highest + 1, HostState.nextCounter(p, "next.vmid", 1));
                p.setProperty("next.vmid", Integer.toString(next + 1));
                HostState.setOff(p, key(next));
                return next;
            });
            entries.add(new EsxiInventory.Entry(vmid, normalized));
            EsxiInventory.write(layout.esxiInventory(), entries);
            return Optional.of(vmid);
        }
    }

    boolean unregister(int vmid) throws IOException {
        synchronized (inventoryLock) {
            List<EsxiInventory.Entry> entries = EsxiInventory.read(layout.esxiInventory());
            boolean removed = entries.removeIf(e -> e.vmid() == vmid);
            if (removed) {
                EsxiInventory.write(layout.esxiInventory(), entries);
                state.update(p -> HostState.forget(p, key(vmid)));
            }
            return removed;
        }
    }

    /** {@code [datastore1] Admin/Admin.vmx} for a file under {@code vmfs/volumes/datastore1}. */
    String datastorePath(Path file) {
        Path volumes = layout.volumes();
        Path f = file.toAbsolutePath().normalize();
        if (f.startsWith(volumes) && volumes.relativize(f).getNameCount() > 1) {
            Path rel = volumes.relativize(f);
            return "[" + rel.getName(0) + "] " + rel.subpath(1, rel.getNameCount());
        }
        return f.toString();
    }

    public void seed(List<VmSpec> vms, long diskSize) throws IOException {
        Files.createDirectories(layout.datastore1());
        Files.createDirectories(layout.backupDatastore());
        for (VmSpec spec : vms) {
            Path dir = layout.datastore1().resolve(spec.name());
            Files.createDirectories(dir);
            List<String> macs = spec.macs().isEmpty()
                    ? List.of(DiskImages.derivedMac("00:50:56", hostName + "/" + spec.name(), 0))
                    : spec.macs();
            String uuid = UUID.nameUUIDFromBytes((hostName + "/" + spec.name()).getBytes(StandardCharsets.UTF_8))
                    .toString();
            VmxFile.forNewVm(spec.name(), macs, uuid).write(dir.resolve(spec.name() + ".vmx"));
            writeDescriptor(dir.resolve(spec.name() + ".vmdk"), spec.name() + "-flat.vmdk", diskSize);
            DiskImages.create(dir.resolve(spec.name() + "-flat.vmdk"), hostName + "/" + spec.name(), diskSize, new byte[0]);
            int vmid = register(dir.resolve(spec.name() + ".vmx")).orElseThrow();
            setPower(vmid, spec.poweredOn());
        }
    }

    static void writeDescriptor(Path file, String flatName, long size) throws IOException {
        Files.writeString(file, "# Disk DescriptorFile\nversion=1\nencoding=\"UTF-8\"\nCID=fffffffe\n"
                + "parentCID=ffffffff\ncreateType=\"vmfs\"\n\n# Extent description\n"
                + "RW " + (size + 511) / 512 + " VMFS \"" + flatName + "\"\n\n# The Disk Data Base\n#DDB\n\n"
                + "ddb.adapterType = \"lsilogic\"\nddb.virtualHWVersion = \"13\"\n", StandardCharsets.UTF_8);
    }

    /** A snapshot as hostd records it: an id unique per VM and its creation time. */
    record Snapshot(int id, java.time.Instant createdOn) {
    }

    /** hostd's record of a new snapshot of {@code vm}: the next id of that VM and the creation time. */
    void recordSnapshot(Vm vm, java.time.Instant createdOn) {
        state.update(p -> {
            int id = HostState.nextCounter(p, "snapshotCounter." + key(vm.vmid()), 1);
            p.setProperty("snapshot." + key(vm.vmid()), id + " " + createdOn);
        });
    }

    /**
     * The VM's current snapshot while its delta files exist (a snapshot left by an aborted run included); one hostd has
     * not recorded (yet) reads as the id it gets next, created when its descriptor was written.
     */
    Optional<Snapshot> currentSnapshot(Vm vm) throws IOException {
        List<Path> files = vm.snapshotFiles();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        java.time.Instant written = Files.getLastModifiedTime(files.get(0)).toInstant();
        String recorded = state.read(v -> v.property("snapshot." + key(vm.vmid())));
        if (recorded != null) {
            String[] parts = recorded.split(" ", 2);
            var snapshot = new Snapshot(Integer.parseInt(parts[0]), java.time.Instant.parse(parts[1]));
            if (!snapshot.createdOn().isBefore(written)) {
                return Optional.of(snapshot);
            }
        }
        // not recorded yet (the instant after it was taken), or a record of an earlier snapshot: the id it gets next
        String next = state.read(v -> v.property("snapshotCounter." + key(vm.vmid())));
        return Optional.of(new Snapshot(next == null ? 1 : Integer.parseInt(next), written));
    }

    /** The {@link HostState} key of a registered VM. */
    public static String stateKey(int vmid) {
        return key(vmid);
    }

    private static String key(int vmid) {
        return "vmid-" + vmid;
    }
}

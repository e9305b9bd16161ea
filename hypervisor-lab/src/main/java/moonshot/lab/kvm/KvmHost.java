package moonshot.lab.kvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import moonshot.lab.DiskImages;
import moonshot.lab.HostLayout;
import moonshot.lab.HostState;
import moonshot.lab.Names;
import moonshot.lab.VmSpec;
import moonshot.lab.tool.Tool;

/**
 * The KVM side of a host's disk state: libvirt domain definitions, qcow2 disks, the vzdump VMID of each
 * domain ({@code /etc/pve/qemu-server/<vmid>.conf}, as on Proxmox) and power.
 */
public final class KvmHost {
    private static final Pattern CONF_NAME = Pattern.compile("(?m)^name:\\s*(\\S+)\\s*$");

    private final String hostName;
    private final HostLayout layout;
    private final HostState state;
    private final Clock clock;
    /** Held while a disk chain changes shape or a guest writes, so a snapshot is one instant for the guest. */
    private final Object disks = new Object();
    /** Images a block job has open for writing besides the active ones (the base during a commit). */
    private final java.util.Set<Path> jobWriters = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public KvmHost(String hostName, HostLayout layout, HostState state, Clock clock) {
        this.hostName = hostName;
        this.layout = layout;
        this.state = state;
        this.clock = clock;
    }

    /** The simulated tools on a KVM host's PATH, by command name. */
    public static Map<String, Tool> tools() {
        return Map.of("virsh", new Virsh(), "vzdump", new Vzdump(), "qmrestore", new VzdumpRestore(),
                "qemu-img", new QemuImg());
    }

    List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(layout.domains())) {
            try (var files = Files.list(layout.domains())) {
                files.map(p -> p.getFileName().toString())
                        .filter(f -> f.endsWith(".xml"))
                        .map(f -> f.substring(0, f.length() - 4))
                        .filter(Names::isVmName)
                        .sorted()
                        .forEach(names::add);
            }
        }
        for (String name : transientNames()) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    /** Running domains whose persistent definition was undefined: libvirt keeps them until they stop. */
    private List<String> transientNames() throws IOException {
        List<String> names = new ArrayList<>();
        Path dir = transientDir();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String f = p.getFileName().toString();
                    String name = f.endsWith(".xml") ? f.substring(0, f.length() - 4) : "";
                    if (Names.isVmName(name) && isOn(name)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    private Path transientDir() {
        return layout.root.resolve("run/libvirt/qemu");
    }

    /** The persistent definition, else the live one of a running transient domain; null when neither exists. */
    Path domainFile(String name) {
        if (!Names.isVmName(name)) {
            return null;
        }
        Path persistent = layout.domains().resolve(name + ".xml");
        if (Files.isRegularFile(persistent)) {
            return persistent;
        }
        Path live = transientDir().resolve(name + ".xml");
        return Files.isRegularFile(live) && isOn(name) ? live : null;
    }

    boolean isPersistent(String name) {
        return Names.isVmName(name) && Files.isRegularFile(layout.domains().resolve(name + ".xml"));
    }

    public Optional<DomainXml> domain(String name) throws IOException {
        Path file = domainFile(name);
        return file != null
                ? Optional.of(DomainXml.parse(Files.readString(file, StandardCharsets.UTF_8)))
                : Optional.empty();
    }

    /** Rewrites the definition the domain has now (persistent, or live for a transient one). */
    void writeDomain(String name, DomainXml domain) throws IOException {
        Path file = domainFile(name);
        if (file == null) {
            throw new IOException("no domain " + name);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, domain.xml(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code virsh define}: a new domain is shut off; a redefined one keeps its state. */
    void defineXml(String name, String xml) throws IOException {
        boolean known = domainFile(name) != null;
        Files.createDirectories(layout.domains());
        Files.writeString(layout.domains().resolve(name + ".xml"), xml, StandardCharsets.UTF_8);
        Files.deleteIfExists(transientDir().resolve(name + ".xml"));
        if (!known) {
            state.update(p -> HostState.setOff(p, name));
        }
    }

    /** {@code virsh undefine}: a shut-off domain is gone; a running one stays, transient, until it stops. */
    void undefine(String name) throws IOException {
        Path persistent = layout.domains().resolve(name + ".xml");
        if (isOn(name)) {
            Files.createDirectories(transientDir());
            Files.move(persistent, transientDir().resolve(name + ".xml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(persistent);
            state.update(p -> HostState.forget(p, name));
        }
    }

    /** Runs {@code action} while no guest write or other chain change can interleave. */
    public <T> T withDisks(DiskAction<T> action) throws IOException {
        synchronized (disks) {
            return action.run();
        }
    }

    public interface DiskAction<T> {
        T run() throws IOException;
    }

    /** An image QEMU holds open for writing: the active image of a running domain, or a commit's base. */
    boolean isWriteLocked(Path image) throws IOException {
        Path wanted = image.toAbsolutePath().normalize();
        if (jobWriters.contains(wanted)) {
            return true;
        }
        for (String name : names()) {
            Optional<DomainXml> d = domain(name);
            if (d.isPresent() && isOn(name) && d.get().disk().toAbsolutePath().normalize().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    void jobWriting(Path image, boolean writing) {
        Path p = image.toAbsolutePath().normalize();
        if (writing) {
            jobWriters.add(p);
        } else {
            jobWriters.remove(p);
        }
    }

    /** Whether the domain has a (connected) QEMU guest agent; true unless a test switched it off. */
    boolean hasGuestAgent(String name) {
        return state.read(v -> v.guestAgent(name));
    }

    public void setGuestAgent(String name, boolean present) {
        state.update(p -> {
            if (present) {
                p.remove("agent." + name);
            } else {
                p.setProperty("agent." + name, "absent");
            }
        });
    }

    public boolean isFrozen(String name) {
        return state.read(v -> v.isFrozen(name));
    }

    void setFrozen(String name, boolean frozen) {
        state.update(p -> {
            if (frozen) {
                p.setProperty("frozen." + name, "true");
            } else {
                p.remove("frozen." + name);
            }
        });
    }

    /** vzdump VMID → domain name. */
    Map<Integer, String> vmids() throws IOException {
        Map<Integer, String> vmids = new TreeMap<>();
        if (Files.isDirectory(layout.vmConfigs())) {
            try (var files = Files.list(layout.vmConfigs())) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String f = p.getFileName().toString();
                    if (f.matches("\\d{1,9}\\.conf")) {
                        Matcher m = CONF_NAME.matcher(Files.readString(p, StandardCharsets.UTF_8));
                        if (m.find()) {
                            vmids.put(Integer.parseInt(f.substring(0, f.length() - 5)), m.group(1));
                        }
                    }
                }
            }
        }
        return vmids;
    }

    Optional<String> nameOfVmid(int vmid) throws IOException {
        return Optional.ofNullable(vmids().get(vmid));
    }

    Optional<Integer> vmidOf(String name) throws IOException {
        return vmids().entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst();
    }

    public Path diskPath(String name) {
        return layout.images().resolve(name + ".qcow2");
    }

    public boolean isOn(String name) {
        return state.read(v -> v.isOn(name));
    }

    String domid(String name) {
        return state.read(v -> v.domid(name));
    }

    /** Seeding a running domain: deployed at once. */
    String start(String name) {
        return start(name, null);
    }

    /**
     * libvirt hands out a new domain Id at every start; the dashboard stand-in reports the domain Deployed
     * from {@code deployedAt} on (null: at once).
     */
    String start(String name, java.time.Instant deployedAt) {
        return state.updateAndGet(p -> {
            int id = HostState.nextCounter(p, "next.domid", 1);
            HostState.setOn(p, name, deployedAt);
            p.setProperty("domid." + name, Integer.toString(id));
            return Integer.toString(id);
        });
    }

    void stop(String name) {
        state.update(p -> HostState.setOff(p, name));
        dropIfTransient(name);
    }

    /** A transient domain ceases to exist when it stops. */
    private void dropIfTransient(String name) {
        try {
            if (Names.isVmName(name) && Files.deleteIfExists(transientDir().resolve(name + ".xml"))) {
                state.update(p -> HostState.forget(p, name));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return the token {@link #completeShutdown} needs, so a later start or destroy cancels it */
    String scheduleShutdown(String name, Duration delay) {
        String offAt = Long.toString(clock.instant().plus(delay).toEpochMilli());
        state.update(p -> p.setProperty("offAt." + name, offAt));
        return offAt;
    }

    boolean completeShutdown(String name, String token) {
        boolean off = state.updateAndGet(p -> {
            if (token.equals(p.getProperty("offAt." + name))) {
                HostState.setOff(p, name);
                return true;
            }
            return false;
        });
        if (off) {
            dropIfTransient(name);
        }
        return off;
    }

    /** Writes the domain definition and the VMID mapping; the domain is defined but shut off. */
    void define(String name, int vmid, String xml) throws IOException {
        Files.createDirectories(layout.domains());
        Files.createDirectories(layout.vmConfigs());
        Files.writeString(layout.domains().resolve(name + ".xml"), xml, StandardCharsets.UTF_8);
        // A VMID names exactly one domain: drop a stale mapping of this name to another VMID.
        for (Map.Entry<Integer, String> e : vmids().entrySet()) {
            if (e.getValue().equals(name) && e.getKey() != vmid) {
                Files.deleteIfExists(layout.vmConfigs().resolve(e.getKey() + ".conf"));
            }
        }
        Files.writeString(layout.vmConfigs().resolve(vmid + ".conf"), pveConfig(name, DomainXml.parse(xml)),
                StandardCharsets.UTF_8);
        state.update(p -> HostState.setOff(p, name));
    }

    static String pveConfig(String name, DomainXml domain) {
        StringBuilder conf = new StringBuilder("# vzdump VMID of libvirt domain ").append(name).append('\n')
                .append("name: ").append(name).append('\n')
                .append("memory: 8192\ncores: 2\n");
        for (int i = 0; i < domain.macs().size(); i++) {
            conf.append("net").append(i).append(": virtio=").append(domain.macs().get(i).toUpperCase())
                    .append(",bridge=").append(domain.bridge(i)).append('\n');
        }
        conf.append("virtio0: ").append(domain.disk()).append('\n');
        return conf.toString();
    }

    public void seed(List<VmSpec> vms, long diskSize) throws IOException {
        Files.createDirectories(layout.images());
        Files.createDirectories(layout.dumpDir());
        int fallbackVmid = 100;
        for (VmSpec spec : vms) {
            int vmid = spec.vzdumpVmid() != null ? spec.vzdumpVmid() : fallbackVmid++;
            List<String> macs = spec.macs().isEmpty()
                    ? List.of(DiskImages.derivedMac("52:54:00", hostName + "/" + spec.name(), 0))
                    : spec.macs();
            String uuid = UUID.nameUUIDFromBytes((hostName + "/" + spec.name()).getBytes(StandardCharsets.UTF_8))
                    .toString();
            Path disk = diskPath(spec.name());
            DiskImages.create(disk, hostName + "/" + spec.name(), diskSize, DiskImages.QCOW2_MAGIC);
            define(spec.name(), vmid, DomainXml.render(spec.name(), uuid, macs, disk));
            if (spec.poweredOn()) {
                start(spec.name());
            }
        }
    }
}

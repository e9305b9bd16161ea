package moonshot.lab;

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

/**
 * The KVM side of a host's disk state: libvirt domain definitions, qcow2 disks, the vzdump VMID of each
 * domain ({@code /etc/pve/qemu-server/<vmid>.conf}, as on Proxmox) and power.
 */
final class KvmHost {
    private static final Pattern CONF_NAME = Pattern.compile("(?m)^name:\\s*(\\S+)\\s*$");

    private final String hostName;
    private final HostLayout layout;
    private final HostState state;
    private final Clock clock;

    KvmHost(String hostName, HostLayout layout, HostState state, Clock clock) {
        this.hostName = hostName;
        this.layout = layout;
        this.state = state;
        this.clock = clock;
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
        return names;
    }

    Optional<DomainXml> domain(String name) throws IOException {
        if (!Names.isVmName(name)) {
            return Optional.empty();
        }
        Path file = layout.domains().resolve(name + ".xml");
        return Files.isRegularFile(file)
                ? Optional.of(DomainXml.parse(Files.readString(file, StandardCharsets.UTF_8)))
                : Optional.empty();
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

    Path diskPath(String name) {
        return layout.images().resolve(name + ".qcow2");
    }

    boolean isOn(String name) {
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
    }

    /** @return the token {@link #completeShutdown} needs, so a later start or destroy cancels it */
    String scheduleShutdown(String name, Duration delay) {
        String offAt = Long.toString(clock.instant().plus(delay).toEpochMilli());
        state.update(p -> p.setProperty("offAt." + name, offAt));
        return offAt;
    }

    boolean completeShutdown(String name, String token) {
        return state.updateAndGet(p -> {
            if (token.equals(p.getProperty("offAt." + name))) {
                HostState.setOff(p, name);
                return true;
            }
            return false;
        });
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

    void seed(List<VmSpec> vms, long diskSize) throws IOException {
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

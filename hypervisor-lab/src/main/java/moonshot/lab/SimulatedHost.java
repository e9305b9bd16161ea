package moonshot.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import moonshot.lab.esxi.EsxiHost;
import moonshot.lab.esxi.VmxFile;
import moonshot.lab.kvm.DiskChain;
import moonshot.lab.kvm.DomainXml;
import moonshot.lab.ssh.HostSshServer;

/**
 * One simulated ESXi or KVM host as tests, benchmarks and the demo see it: where to SSH to, where its
 * files are, its action log, and the knobs (durations, faults, corruption).
 */
public final class SimulatedHost {
    private final HostRuntime host;
    private final HostSshServer ssh;
    private final ReadinessServer readiness;

    SimulatedHost(HostRuntime host, HostSshServer ssh, ReadinessServer readiness) {
        this.host = host;
        this.ssh = ssh;
        this.readiness = readiness;
    }

    public String name() {
        return host.name;
    }

    public HypervisorKind kind() {
        return host.kind;
    }

    public String address() {
        return "127.0.0.1";
    }

    public int sshPort() {
        return ssh.port();
    }

    public String user() {
        return HostSshServer.USER;
    }

    /** {@code SHA256:<base64 without padding>}, the form sshj's {@code addHostKeyVerifier} takes. */
    public String hostKeyFingerprint() {
        return ssh.fingerprint();
    }

    public Path root() {
        return host.layout.root;
    }

    /** ESXi: {@code vmfs/volumes/datastore1}; KVM: {@code var/lib/libvirt/images}. */
    public Path runningDatastore() {
        return host.kind == HypervisorKind.ESXI ? host.layout.datastore1() : host.layout.images();
    }

    /** ESXi: {@code vmfs/volumes/backup} (an XSIBackup backup point); KVM: {@code var/lib/vz/dump}. */
    public Path backupTarget() {
        return host.kind == HypervisorKind.ESXI ? host.layout.backupDatastore() : host.layout.dumpDir();
    }

    /**
     * Arms a fault for the next call of {@code tool} it applies to ({@code xsibackup}, {@code vzdump},
     * {@code qmrestore}, {@code vim-cmd}, {@code virsh}, {@code ssh} or {@code *}). UNREACHABLE refuses the
     * next SSH connection, whatever the tool.
     */
    public void failNext(String tool, Fault fault) {
        host.faults.failNext(tool, fault);
        host.log.append("lab", "FAULT_ARMED", "tool", tool, "fault", fault.name(), "mode", "next");
    }

    /** Arms a fault for every call until {@link #clearFaults()}; UNREACHABLE also drops open connections. */
    public void failAlways(String tool, Fault fault) {
        host.faults.failAlways(tool, fault);
        host.log.append("lab", "FAULT_ARMED", "tool", tool, "fault", fault.name(), "mode", "always");
        if (fault == Fault.UNREACHABLE) {
            ssh.dropSessions();
        }
    }

    /**
     * sshd_config's {@code MaxSessions} (default 10): a session channel opened while this many are open on the same
     * connection is refused as OpenSSH refuses it (administratively prohibited, "open failed"); the connection and
     * its other channels go on.
     */
    public void setMaxSessions(int max) {
        ssh.setMaxSessions(max);
        host.log.append("lab", "MAX_SESSIONS", "max", Integer.toString(max));
    }

    /**
     * What a hang-up (the client closing a channel, or its connection dropping) does to the command still running:
     * {@code true}, the lab's default, kills its process tree; {@code false} does what OpenSSH's sshd does for a
     * command without a pty: it only closes the command's stdin, stdout and stderr, so the command dies of SIGPIPE
     * when it next writes (or the write after) and otherwise runs on until someone kills it.
     */
    public void setKillOnHangUp(boolean kill) {
        ssh.setKillOnHangUp(kill);
        host.log.append("lab", "KILL_ON_HANG_UP", "kill", Boolean.toString(kill));
    }

    public void clearFaults() {
        host.faults.clear();
        host.log.append("lab", "FAULTS_CLEARED");
    }

    public void setBackupDuration(Duration d) {
        host.timing.setBackup(d);
    }

    public void setPowerDelay(Duration d) {
        host.timing.setPowerDelay(d);
    }

    /**
     * How long after a power-on ({@code vim-cmd vmsvc/power.on}, {@code virsh start}) the Admin dashboard
     * stand-in reports the VM <i>Deployed</i> (before the speed factor; default 2 s, or the
     * {@link HostSpec#deployDelay()}). Applies to VMs started from now on.
     */
    public void setDeployDelay(Duration d) {
        host.timing.setDeployDelay(d);
    }

    /**
     * Called once each time a VM of this host becomes <i>Deployed</i> after a power-on, with the VM name and
     * the instant of the {@code lab DEPLOYED} action-log entry, on a lab thread (do not block it for long;
     * no order is promised between VMs). Not called for VMs seeded running (deployed from the start), nor
     * for a VM powered off or restarted before its time came. The lab knows no Kafka: wire this to a
     * producer of {@code moonshot.node.status} events.
     */
    public void onDeployed(BiConsumer<String, Instant> listener) {
        host.deployments.addListener(listener);
    }

    /** True while the VM runs and its deploy delay since its last power-on has passed. */
    public boolean isDeployed(String vm) {
        return host.deployments.status(vm) == Deployments.Status.DEPLOYED;
    }

    /** {@link HypervisorLab#readinessUrl} of one of this host's VMs. */
    public String readinessUrl(String vm) {
        Names.requireVmName(vm);
        return readiness.url(host.name, vm);
    }

    Deployments.Status deploymentStatus(String vm) {
        return host.deployments.status(vm);
    }

    /** The parsed {@code lab-actions.log}, oldest first. */
    public List<LabAction> actions() {
        return host.log.read();
    }

    /** False for a VM the host does not know (unregistered, undefined). */
    public boolean isPoweredOn(String vm) {
        try {
            if (host.kind == HypervisorKind.ESXI) {
                Optional<EsxiHost.Vm> registered = host.esxi.byName(vm);
                return registered.isPresent() && host.esxi.isOn(registered.get().vmid());
            }
            return host.kvm.domain(vm).isPresent() && host.kvm.isOn(vm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The VM's MACs from its configuration on disk (the registered {@code .vmx}, else the one in its
     * datastore folder; the domain XML on KVM); empty when there is none.
     */
    public List<String> macs(String vm) {
        try {
            if (host.kind == HypervisorKind.ESXI) {
                Optional<EsxiHost.Vm> registered = host.esxi.byName(vm);
                if (registered.isPresent()) {
                    return registered.get().config().macs();
                }
                Path vmx = host.layout.datastore1().resolve(vm).resolve(vm + ".vmx");
                return Names.isVmName(vm) && Files.isRegularFile(vmx) ? VmxFile.read(vmx).macs() : List.of();
            }
            return host.kvm.domain(vm).map(DomainXml::macs).orElse(List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Overwrites the start and the middle of the VM's disk file, so it no longer matches any backup. */
    public void corrupt(String vm) {
        Names.requireVmName(vm);
        try {
            Path disk;
            if (host.kind == HypervisorKind.ESXI) {
                Optional<EsxiHost.Vm> registered = host.esxi.byName(vm);
                disk = registered.isPresent() ? registered.get().flatDisk()
                        : host.layout.datastore1().resolve(vm).resolve(vm + "-flat.vmdk");
            } else {
                disk = host.kvm.domain(vm).map(DomainXml::disk).orElse(host.kvm.diskPath(vm));
            }
            DiskImages.corrupt(disk);
            host.log.append("lab", "CORRUPTED", "vm", vm, "disk", disk.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * KVM: whether the domain's guest runs a connected QEMU guest agent (default true). Without one,
     * {@code virsh domfsfreeze}/{@code domfsthaw} and {@code snapshot-create-as --quiesce} fail as libvirt does.
     * Kept with the power state in {@code .lab/state.properties}.
     */
    public void setGuestAgent(String vm, boolean present) {
        requireKvmDomain(vm);
        host.kvm.setGuestAgent(vm, present);
        host.log.append("lab", "GUEST_AGENT", "vm", vm, "present", Boolean.toString(present));
    }

    /** KVM: true while {@code virsh domfsfreeze} holds the running domain's filesystems. */
    public boolean isFrozen(String vm) {
        return host.kind == HypervisorKind.KVM && Names.isVmName(vm) && host.kvm.isFrozen(vm);
    }

    /**
     * KVM: the running guest writes {@code data} at {@code offset} of its disk. The write lands in the active image:
     * the snapshot overlay while one is active, so the base stays as it was at the snapshot instant.
     *
     * @throws IllegalStateException when the domain is not running, or its filesystems are frozen (the guest would
     *                               block until thawed)
     * @throws IllegalArgumentException when the write leaves the disk or touches its first 4 bytes (the image header)
     */
    public void writeAsGuest(String vm, long offset, byte[] data) {
        requireKvmDomain(vm);
        try {
            Path image = host.kvm.withDisks(() -> {
                if (!host.kvm.isOn(vm)) {
                    throw new IllegalStateException(vm + " is not running");
                }
                if (host.kvm.isFrozen(vm)) {
                    throw new IllegalStateException("the filesystems of " + vm + " are frozen");
                }
                Path top = host.kvm.domain(vm).orElseThrow().disk();
                DiskChain.write(top, offset, data);
                return top;
            });
            host.log.append("lab", "GUEST_WRITE", "vm", vm, "offset", Long.toString(offset),
                    "bytes", Integer.toString(data.length), "image", image.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** KVM: the whole disk as the guest reads it (its backing chain merged; the 4-byte image header reads as 0). */
    public byte[] readAsGuest(String vm) {
        requireKvmDomain(vm);
        try {
            return host.kvm.withDisks(() -> DiskChain.guestContent(host.kvm.domain(vm).orElseThrow().disk()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireKvmDomain(String vm) {
        Names.requireVmName(vm);
        if (host.kind != HypervisorKind.KVM) {
            throw new IllegalStateException(host.name + " is not a KVM host");
        }
        try {
            if (host.kvm.domain(vm).isEmpty()) {
                throw new IllegalArgumentException("no domain " + vm + " on " + host.name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop() {
        ssh.close();
        host.log.append("lab", "STOPPED");
    }

    @Override
    public String toString() {
        return name() + " (" + kind() + ", " + user() + "@" + address() + ":" + sshPort() + ")";
    }
}

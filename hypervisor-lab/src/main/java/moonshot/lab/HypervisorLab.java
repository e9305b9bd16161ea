package moonshot.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import moonshot.lab.ssh.ClientKey;
import moonshot.lab.ssh.HostSshServer;
import moonshot.lab.tool.ToolEngine;
import moonshot.lab.tool.ToolScripts;

/**
 * A lab of simulated hypervisors: each host is a real SSH server on 127.0.0.1 whose commands run in a
 * real {@code /bin/sh}, with simulated {@code vim-cmd}/{@code xsibackup} (ESXi) or
 * {@code virsh}/{@code vzdump}/{@code qmrestore} (KVM) on the PATH. All host state lives on disk under
 * {@code <labRoot>/<hostName>/}; restarting a lab on the same root keeps VMs, archives and host keys.
 * One small HTTP server per lab stands in for the Admin node's dashboard: {@link #readinessUrl}.
 */
public final class HypervisorLab implements AutoCloseable {
    private final Path root;
    private final ClientKey clientKey;
    private final ToolEngine engine;
    private final ExecutorService threads;
    private final ScheduledExecutorService scheduler;
    private final Timing.SpeedFactor speed = new Timing.SpeedFactor();
    private final Clock clock = Clock.systemUTC();
    private final Map<String, SimulatedHost> hosts = new LinkedHashMap<>();
    private volatile long diskSize = DiskImages.DEFAULT_SIZE;
    private volatile Wording wording = Wording.CLASSIC;
    private ReadinessServer readiness;

    private HypervisorLab(Path root, ClientKey clientKey, ToolEngine engine, ExecutorService threads,
                          ScheduledExecutorService scheduler) {
        this.root = root;
        this.clientKey = clientKey;
        this.engine = engine;
        this.threads = threads;
        this.scheduler = scheduler;
    }

    /** Starts the tool engine and creates (or reuses) the client key under {@code labRoot/keys}. */
    public static HypervisorLab start(Path labRoot) throws IOException {
        Path root = labRoot.toAbsolutePath().normalize();
        Files.createDirectories(root);
        ClientKey key = ClientKey.loadOrCreate(root.resolve("keys"));
        ExecutorService threads = Executors.newCachedThreadPool(daemon("lab-worker"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("lab-timer"));
        ToolEngine engine = null;
        try {
            engine = ToolEngine.start(threads);
            HypervisorLab lab = new HypervisorLab(root, key, engine, threads, scheduler);
            lab.readiness = ReadinessServer.start(lab::deploymentStatus, threads);
            return lab;
        } catch (IOException | RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            threads.shutdownNow();
            scheduler.shutdownNow();
            throw e;
        }
    }

    /** The two hosts of the seed document, on free ports, with 2 s backups and 1 s power transitions. */
    public static List<HostSpec> seedHosts() {
        Duration backup = Duration.ofSeconds(2);
        Duration power = Duration.ofSeconds(1);
        return List.of(
                new HostSpec("esxi-01", HypervisorKind.ESXI, 0, List.of(
                        new VmSpec("Admin", null, List.of("00:50:56:a1:00:01"), true),
                        new VmSpec("Ctrl", null, List.of("00:50:56:a1:00:02"), true),
                        new VmSpec("Bm", null, List.of("00:50:56:a1:00:03"), true)), backup, power),
                new HostSpec("kvm-01", HypervisorKind.KVM, 0, List.of(
                        new VmSpec("Admin_node", 33, List.of("52:54:00:b2:00:21"), true),
                        new VmSpec("Controller", 34, List.of("52:54:00:b2:00:22"), true),
                        new VmSpec("Compute", 35, List.of("52:54:00:b2:00:23"), true)), backup, power));
    }

    /**
     * Creates the host's directory and seeds its VMs if it is new (an existing one keeps its state), then
     * starts its SSH server.
     */
    public synchronized SimulatedHost addHost(HostSpec spec) throws IOException {
        if (hosts.containsKey(spec.name())) {
            throw new IllegalStateException("host " + spec.name() + " is already in the lab");
        }
        HostLayout layout = new HostLayout(root.resolve(spec.name()));
        Files.createDirectories(layout.root);
        HostRuntime runtime = new HostRuntime(spec, layout,
                new Timing(speed, spec.backupDuration(), spec.powerDelay(), spec.deployDelay()), clock, scheduler,
                threads, diskSize, () -> wording);
        if (!Files.exists(layout.seededMarker())) {
            seed(runtime, spec);
        }
        ToolScripts.write(layout.bin(), spec.name(), spec.kind(), engine.port());
        engine.register(runtime);
        HostSshServer ssh = new HostSshServer(runtime, clientKey.publicKey(), spec.sshPort(), threads);
        ssh.start();
        SimulatedHost host = new SimulatedHost(runtime, ssh, readiness);
        runtime.log.append("lab", "STARTED", "kind", spec.kind().name(), "port", Integer.toString(ssh.port()),
                "fingerprint", ssh.fingerprint());
        hosts.put(spec.name(), host);
        runtime.deployments.resume();
        return host;
    }

    private static void seed(HostRuntime runtime, HostSpec spec) throws IOException {
        if (spec.kind() == HypervisorKind.ESXI) {
            runtime.esxi.seed(spec.vms(), runtime.diskSize);
        } else {
            runtime.kvm.seed(spec.vms(), runtime.diskSize);
        }
        List<String> names = new ArrayList<>();
        spec.vms().forEach(vm -> names.add(vm.name()));
        Files.createDirectories(runtime.layout.seededMarker().getParent());
        Files.writeString(runtime.layout.seededMarker(), String.join("\n", names) + "\n");
        runtime.log.append("lab", "SEEDED", "vms", String.join(",", names), "diskBytes", Long.toString(runtime.diskSize));
    }

    /** @throws IllegalArgumentException when there is no such host */
    public synchronized SimulatedHost host(String name) {
        SimulatedHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no simulated host named '" + name + "', have " + hosts.keySet());
        }
        return host;
    }

    public synchronized Collection<SimulatedHost> hosts() {
        return List.copyOf(hosts.values());
    }

    /**
     * The Admin dashboard stand-in's readiness endpoint for one VM:
     * {@code http://127.0.0.1:<port>/ready/<host>/<vm>}. {@code GET} answers {@code 200 Deployed} once the VM
     * is deployed (a deploy delay after a power-on; at once for a VM seeded running), else 503 with
     * {@code Deploying}, {@code Off} or {@code Unknown} (no such VM on the host, e.g. unregistered).
     *
     * @throws IllegalArgumentException when the lab has no such host or the VM name is not valid
     */
    public String readinessUrl(String host, String vm) {
        host(host);
        Names.requireVmName(vm);
        return readiness.url(host, vm);
    }

    /** The port of the readiness endpoint on 127.0.0.1. */
    public int readinessPort() {
        return readiness.port();
    }

    private Optional<Deployments.Status> deploymentStatus(String hostName, String vm) {
        SimulatedHost host;
        synchronized (this) {
            host = hosts.get(hostName);
        }
        return host == null ? Optional.empty() : Optional.of(host.deploymentStatus(vm));
    }

    /** {@code <labRoot>/keys/id_lab}: OpenSSH format, loadable by sshj's {@code SSHClient.loadKeys(path)}. */
    public Path clientPrivateKey() {
        return clientKey.privateKey();
    }

    public Path root() {
        return root;
    }

    /** Multiplies every simulated duration from now on (0.1 = ten times faster, 0 = instant). */
    public void setSpeedFactor(double f) {
        speed.set(f);
    }

    /** Which tool versions every host of the lab speaks from the next tool call on (default {@link Wording#CLASSIC}). */
    public void setWording(Wording wording) {
        this.wording = java.util.Objects.requireNonNull(wording, "wording");
    }

    public Wording wording() {
        return wording;
    }

    /** The size of the disk files of VMs seeded by later {@link #addHost} calls (default 64 KiB). */
    public void setDiskSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("disk size must not be negative");
        }
        diskSize = bytes;
    }

    @Override
    public synchronized void close() {
        hosts.values().forEach(SimulatedHost::stop);
        hosts.clear();
        readiness.close();
        engine.close();
        scheduler.shutdownNow();
        threads.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

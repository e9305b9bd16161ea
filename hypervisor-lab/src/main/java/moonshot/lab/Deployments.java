package moonshot.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import moonshot.lab.esxi.EsxiHost;

/**
 * The lab's stand-in for the Admin node's dashboard on one host: a VM started by a power command is
 * <i>Deployed</i> one deploy delay after it came on; a VM that was running when the host was seeded is
 * deployed at once; a VM that is off is nothing. The deployment instant is stored with the power state
 * ({@code deployedAt.<key>} in {@link HostState}), so a power-off, a restart or a lab restart all see it.
 */
public final class Deployments {
    /** What the dashboard shows for a VM, and the readiness endpoint answers. */
    enum Status {
        DEPLOYED("Deployed"), DEPLOYING("Deploying"), OFF("Off"), UNKNOWN("Unknown");

        final String word;

        Status(String word) {
            this.word = word;
        }
    }

    private final HostRuntime host;
    private final Executor listenerThreads;
    private final List<BiConsumer<String, Instant>> listeners = new CopyOnWriteArrayList<>();

    Deployments(HostRuntime host, Executor listenerThreads) {
        this.host = host;
        this.listenerThreads = listenerThreads;
    }

    void addListener(BiConsumer<String, Instant> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** When a VM coming on now will be deployed (microseconds, like the action log). */
    public Instant deployAtFromNow() {
        return host.clock.instant().plus(host.timing.deployDelay()).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Call after the VM's state went on with {@code at}: at that time, if the VM is still on from that same
     * start, logs {@code lab DEPLOYED} and tells the listeners.
     */
    public void schedule(String key, String vm, Instant at) {
        long delay = Math.max(0, Duration.between(host.clock.instant(), at).toNanos());
        try {
            host.scheduler.schedule(() -> fire(key, vm, at), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the lab is closing
        }
    }

    /** A restarted lab picks up the VMs that were still on their way to Deployed. */
    void resume() {
        Map<String, Instant> pending = host.state.read(HostState.View::pendingDeployments);
        pending.forEach((key, at) -> vmOfKey(key).ifPresent(vm -> schedule(key, vm, at)));
    }

    Status status(String vm) {
        Optional<String> key = keyOf(vm);
        if (key.isEmpty()) {
            return Status.UNKNOWN;
        }
        return host.state.read(v -> v.isDeployed(key.get()) ? Status.DEPLOYED
                : v.isOn(key.get()) ? Status.DEPLOYING : Status.OFF);
    }

    private void fire(String key, String vm, Instant at) {
        Duration early = Duration.between(host.clock.instant(), at);
        if (!early.isNegative() && !early.isZero()) {
            // The timer runs on nanoTime, the instant on the wall clock: never report before the time.
            schedule(key, vm, at);
            return;
        }
        boolean sameStart = host.state.read(v -> v.isOn(key) && at.equals(v.deployedAt(key)));
        if (!sameStart) {
            return;
        }
        LabAction deployed = host.log.append("lab", "DEPLOYED", "vm", vm);
        for (BiConsumer<String, Instant> listener : listeners) {
            try {
                listenerThreads.execute(() -> {
                    try {
                        listener.accept(vm, deployed.at());
                    } catch (RuntimeException e) {
                        host.log.append("lab", "LISTENER_FAILED", "vm", vm, "error", String.valueOf(e));
                    }
                });
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    /** The {@link HostState} key of a VM: its name on KVM, {@code vmid-<Vmid>} on ESXi. */
    private Optional<String> keyOf(String vm) {
        if (!Names.isVmName(vm)) {
            return Optional.empty();
        }
        try {
            if (host.kind == HypervisorKind.ESXI) {
                return host.esxi.byName(vm).map(v -> EsxiHost.stateKey(v.vmid()));
            }
            return host.kvm.domain(vm).map(d -> vm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> vmOfKey(String key) {
        try {
            if (host.kind == HypervisorKind.ESXI) {
                return key.startsWith("vmid-")
                        ? host.esxi.byId(key.substring(5)).filter(v -> v.config() != null).map(EsxiHost.Vm::name)
                        : Optional.empty();
            }
            return host.kvm.domain(key).map(d -> key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

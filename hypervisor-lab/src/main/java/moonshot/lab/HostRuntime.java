package moonshot.lab;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** Everything the simulated tools of one host share: its files, log, faults, timing and locks. */
final class HostRuntime {
    final String name;
    final HypervisorKind kind;
    final HostLayout layout;
    final HostState state;
    final ActionLog log;
    final FaultBook faults = new FaultBook();
    final Timing timing;
    final Clock clock;
    final ScheduledExecutorService scheduler;
    final long diskSize;
    final EsxiHost esxi;
    final KvmHost kvm;
    final VzdumpLock vzdumpLock;
    final Deployments deployments;
    private final Map<String, Tool> tools;
    private final Supplier<Wording> wording;

    HostRuntime(HostSpec spec, HostLayout layout, Timing timing, Clock clock, ScheduledExecutorService scheduler,
                Executor workers, long diskSize, Supplier<Wording> wording) {
        this.wording = wording;
        this.name = spec.name();
        this.kind = spec.kind();
        this.layout = layout;
        this.clock = clock;
        this.state = new HostState(layout.labState(), clock);
        this.log = new ActionLog(layout.actionLog(), spec.name(), clock);
        this.timing = timing;
        this.scheduler = scheduler;
        this.diskSize = diskSize;
        if (kind == HypervisorKind.ESXI) {
            this.esxi = new EsxiHost(name, layout, state);
            this.kvm = null;
            this.vzdumpLock = null;
            this.tools = Map.of("vim-cmd", new VimCmd(), "xsibackup", new XsiBackup());
        } else {
            this.esxi = null;
            this.kvm = new KvmHost(name, layout, state, clock);
            this.vzdumpLock = new VzdumpLock(layout.vzdumpLock());
            this.tools = Map.of("virsh", new Virsh(), "vzdump", new Vzdump(), "qmrestore", new VzdumpRestore(),
                    "qemu-img", new QemuImg());
        }
        this.deployments = new Deployments(this, workers);
    }

    /** The tool version this host's tools speak now (the lab's setting, read at every call). */
    Wording wording() {
        return wording.get();
    }

    Tool tool(String toolName) {
        return tools.get(toolName);
    }
}

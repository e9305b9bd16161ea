package moonshot.lab;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import moonshot.lab.esxi.EsxiHost;
import moonshot.lab.kvm.KvmHost;
import moonshot.lab.kvm.VzdumpLock;
import moonshot.lab.tool.Tool;

/** Everything the simulated tools of one host share: its files, log, faults, timing and locks. */
public final class HostRuntime {
    public final String name;
    final HypervisorKind kind;
    public final HostLayout layout;
    public final HostState state;
    public final ActionLog log;
    public final FaultBook faults = new FaultBook();
    public final Timing timing;
    public final Clock clock;
    public final ScheduledExecutorService scheduler;
    final long diskSize;
    public final EsxiHost esxi;
    public final KvmHost kvm;
    public final VzdumpLock vzdumpLock;
    public final Deployments deployments;
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
            this.tools = EsxiHost.tools();
        } else {
            this.esxi = null;
            this.kvm = new KvmHost(name, layout, state, clock);
            this.vzdumpLock = new VzdumpLock(layout.vzdumpLock());
            this.tools = KvmHost.tools();
        }
        this.deployments = new Deployments(this, workers);
    }

    /** The tool version this host's tools speak now (the lab's setting, read at every call). */
    public Wording wording() {
        return wording.get();
    }

    public Tool tool(String toolName) {
        return tools.get(toolName);
    }
}

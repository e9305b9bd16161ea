package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.VmsDiscovered;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.DiscoveryDriver.ListedVm;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.executor.ssh.HypervisorUnreachableException;
import moonshot.knownhosts.KnownHostRepository;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Carries out one discovery: lists every VM on the management host's hypervisor, captures each node VM's power
 * state, MACs and configuration, and answers VmsDiscovered, or DiscoveryFailed with the tool's or the connection's
 * own message. Nodes are matched by VM name (inventory's), never by the hypervisor's changing ids. The answer is
 * written with the execution's end, in one transaction.
 */
@ApplicationScoped
class DiscoverVmsExecution implements RunExecution.Work<DiscoverVmsExecution.Plan, DiscoverVmsExecution.Outcome> {

    private static final Logger LOG = Logger.getLogger(DiscoverVmsExecution.class);

    private final KnownHostRepository hosts;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;

    DiscoverVmsExecution(KnownHostRepository hosts, Drivers drivers, HypervisorClient client, ExecutorEvents events) {
        this.hosts = hosts;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
    }

    @Override
    public ExecutionKind kind() {
        return ExecutionKind.DISCOVERY;
    }

    @Override
    public Plan plan(Execution execution) {
        return new Plan(execution.id, execution.managementHost, hosts.findActive(execution.managementHost)
                .map(host -> host.nodes.stream().map(NodeSnapshot::vmName).collect(Collectors.toSet()))
                .orElse(Set.of()));
    }

    @Override
    public Map<String, String> context(UUID executionId, Plan plan) {
        return Map.of("discovery", executionId.toString());
    }

    @Override
    public Outcome carryOut(Plan plan, HypervisorConnection hypervisor) {
        DiscoveryDriver driver = drivers.discovery(hypervisor.dialect());
        try {
            CommandResult listing = client.run(hypervisor, driver.listCommand());
            if (!listing.succeeded()) {
                return Outcome.failed("`" + driver.listCommand() + "` " + listing.failureMessage());
            }
            List<DiscoveredVm> vms = new ArrayList<>();
            for (ListedVm vm : driver.parseListing(hypervisor, listing.stdout())) {
                boolean node = plan.nodeVmNames.contains(vm.name());
                try {
                    vms.add(capture(hypervisor, driver, vm, node));
                } catch (CaptureFailed | IllegalArgumentException | IllegalStateException e) {
                    if (node) {
                        return Outcome.failed("could not capture node VM " + vm.name() + ": " + e.getMessage());
                    }
                    LOG.warnf("left VM %s out of the discovery (not a node of %s): %s", vm.name(),
                            plan.managementHost, e.getMessage());
                }
            }
            return Outcome.discovered(hypervisor, vms);
        } catch (HypervisorUnreachableException | IllegalStateException e) {
            return Outcome.failed(e.getMessage());
        }
    }

    @Override
    public Outcome cannotReach(Plan plan, String problem) {
        return Outcome.failed(problem);
    }

    @Override
    public void record(Execution execution, Plan plan, Outcome outcome, Instant at) {
        if (outcome.vms != null) {
            execution.note = "discovered " + outcome.vms.size() + " VM(s): " + summary(plan, outcome.vms);
            events.discovered(new VmsDiscovered(plan.executionId, plan.managementHost, outcome.vms));
        } else {
            execution.note = "failed: " + outcome.reason;
            events.discoveryFailed(new DiscoveryFailed(plan.executionId, plan.managementHost, outcome.reason));
        }
    }

    @Override
    public void log(Plan plan, Outcome outcome) {
        if (outcome.vms != null) {
            LOG.infof("discovery of %s on %s: %s", plan.managementHost, outcome.hypervisor.name(),
                    summary(plan, outcome.vms));
        } else {
            LOG.warnf("discovery of %s failed: %s", plan.managementHost, outcome.reason);
        }
    }

    private DiscoveredVm capture(HypervisorConnection hypervisor, DiscoveryDriver driver, ListedVm vm, boolean node) {
        List<String> outputs = new ArrayList<>();
        for (String command : driver.captureCommands(hypervisor, vm, node)) {
            CommandResult result = client.run(hypervisor, command);
            if (!result.succeeded()) {
                throw new CaptureFailed("`" + command + "` " + result.failureMessage());
            }
            outputs.add(result.stdout());
        }
        return driver.parseCapture(vm, node, outputs);
    }

    /** Names, power and MACs only: a VM's configuration never goes to a log. */
    private static String summary(Plan plan, List<DiscoveredVm> vms) {
        return vms.stream()
                .map(vm -> vm.name() + "(" + vm.powerState()
                        + (plan.nodeVmNames.contains(vm.name()) ? ", node, macs " + vm.macs() : "") + ")")
                .collect(Collectors.joining(", "));
    }

    record Plan(UUID executionId, String managementHost, Set<String> nodeVmNames) {
    }

    /** Either the VMs, listed on {@code hypervisor}, or the reason there are none. */
    record Outcome(HypervisorConnection hypervisor, List<DiscoveredVm> vms, String reason) {
        static Outcome discovered(HypervisorConnection hypervisor, List<DiscoveredVm> vms) {
            return new Outcome(hypervisor, List.copyOf(vms), null);
        }

        static Outcome failed(String reason) {
            return new Outcome(null, null, reason);
        }
    }

    /** A capture command the hypervisor ran and refused. */
    private static final class CaptureFailed extends RuntimeException {
        CaptureFailed(String message) {
            super(message);
        }
    }
}

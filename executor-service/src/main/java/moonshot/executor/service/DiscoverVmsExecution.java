package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.VmsDiscovered;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;
import moonshot.executor.KnownHost;
import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.DiscoveryDriver.ListedVm;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.KnownHostRepository;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.executor.ssh.HypervisorUnreachableException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
public class DiscoverVmsExecution {

    private static final Logger LOG = Logger.getLogger(DiscoverVmsExecution.class);

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final Clock clock;

    DiscoverVmsExecution(ExecutionRepository executions, KnownHostRepository hosts, Drivers drivers,
                         HypervisorClient client, ExecutorEvents events, Clock clock) {
        this.executions = executions;
        this.hosts = hosts;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.clock = clock;
    }

    public void run(UUID executionId) {
        Plan plan = QuarkusTransaction.requiringNew().call(() -> plan(executionId));
        MDC.put("managementHost", plan.managementHost);
        MDC.put("discovery", executionId.toString());
        try {
            Outcome outcome = plan.hypervisor == null ? Outcome.failed(plan.problem) : discover(plan);
            finish(plan, outcome);
        } finally {
            MDC.remove("managementHost");
            MDC.remove("discovery");
        }
    }

    private Plan plan(UUID executionId) {
        Execution execution = executions.findById(executionId);
        KnownHost host = hosts.findActive(execution.managementHost).orElse(null);
        if (host == null) {
            return new Plan(executionId, execution.managementHost, null, Set.of(),
                    "management host " + execution.managementHost + " is unknown to the executor "
                            + "(no inventory announcement received)");
        }
        return new Plan(executionId, execution.managementHost, host.hypervisor,
                host.nodes.stream().map(NodeSnapshot::vmName).collect(Collectors.toSet()), null);
    }

    private Outcome discover(Plan plan) {
        HypervisorConnection hypervisor = plan.hypervisor;
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
            return Outcome.discovered(vms);
        } catch (HypervisorUnreachableException | IllegalStateException e) {
            return Outcome.failed(e.getMessage());
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

    private void finish(Plan plan, Outcome outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            Execution execution = executions.findById(plan.executionId);
            if (!execution.state.canMoveTo(ExecutionState.FINISHED)) {
                LOG.warnf("discovery %s is %s already; its outcome is not reported again", plan.executionId,
                        execution.state);
                return;
            }
            execution.moveTo(ExecutionState.FINISHED, clock.instant());
            if (outcome.vms != null) {
                execution.note = "discovered " + outcome.vms.size() + " VM(s): " + summary(plan, outcome.vms);
                events.discovered(new VmsDiscovered(plan.executionId, plan.managementHost, outcome.vms));
            } else {
                execution.note = "failed: " + outcome.reason;
                events.discoveryFailed(new DiscoveryFailed(plan.executionId, plan.managementHost, outcome.reason));
            }
        });
        if (outcome.vms != null) {
            LOG.infof("discovery of %s on %s: %s", plan.managementHost, plan.hypervisor.name(),
                    summary(plan, outcome.vms));
        } else {
            LOG.warnf("discovery of %s failed: %s", plan.managementHost, outcome.reason);
        }
    }

    /** Names, power and MACs only: a VM's configuration never goes to a log. */
    private static String summary(Plan plan, List<DiscoveredVm> vms) {
        return vms.stream()
                .map(vm -> vm.name() + "(" + vm.powerState()
                        + (plan.nodeVmNames.contains(vm.name()) ? ", node, macs " + vm.macs() : "") + ")")
                .collect(Collectors.joining(", "));
    }

    private record Plan(UUID executionId, String managementHost, HypervisorConnection hypervisor,
                        Set<String> nodeVmNames, String problem) {
    }

    private record Outcome(List<DiscoveredVm> vms, String reason) {
        static Outcome discovered(List<DiscoveredVm> vms) {
            return new Outcome(List.copyOf(vms), null);
        }

        static Outcome failed(String reason) {
            return new Outcome(null, reason);
        }
    }

    /** A capture command the hypervisor ran and refused. */
    private static final class CaptureFailed extends RuntimeException {
        CaptureFailed(String message) {
            super(message);
        }
    }
}

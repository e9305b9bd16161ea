package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;
import moonshot.executor.KnownHost;
import moonshot.executor.dialect.DiscoveryDriver;
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
import java.util.UUID;

/**
 * Answers one CheckHypervisor: lists the VMs of the management host's hypervisor over SSH, on a fresh session and,
 * when the pooled connection turns out to be stale, on a new connection (once). Reachable means the listing ran and
 * read as one; otherwise the message is the connection's or the tool's own.
 */
@ApplicationScoped
public class CheckHypervisorExecution {

    private static final Logger LOG = Logger.getLogger(CheckHypervisorExecution.class);

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final Clock clock;

    CheckHypervisorExecution(ExecutionRepository executions, KnownHostRepository hosts, Drivers drivers,
                             HypervisorClient client, ExecutorEvents events, Clock clock) {
        this.executions = executions;
        this.hosts = hosts;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.clock = clock;
    }

    public void run(UUID executionId) {
        answer(executionId, null);
    }

    /** A check this instance left RUNNING when it stopped changes nothing: it is simply carried out again. */
    public void answerAgainAfterRestart(UUID executionId, String instanceId) {
        answer(executionId, "answered again after executor " + instanceId + " restarted; ");
    }

    private void answer(UUID executionId, String notePrefix) {
        record Plan(CheckHypervisor command, HypervisorConnection hypervisor) {
        }
        Plan plan = QuarkusTransaction.requiringNew().call(() -> {
            Execution execution = executions.findById(executionId);
            return new Plan(execution.payload(CheckHypervisor.class),
                    hosts.findActive(execution.managementHost).map((KnownHost h) -> h.hypervisor).orElse(null));
        });
        CheckHypervisor command = plan.command();
        MDC.put("managementHost", command.managementHost());
        MDC.put("command", executionId.toString());
        try {
            HypervisorChecked answer = plan.hypervisor() == null
                    ? new HypervisorChecked(command.commandId(), command.sequenceId(), command.managementHost(), false,
                    "management host " + command.managementHost() + " is unknown to the executor "
                            + "(no inventory announcement received)")
                    : check(command, plan.hypervisor());
            QuarkusTransaction.requiringNew().run(() -> {
                Execution execution = executions.findById(executionId);
                if (!execution.state.canMoveTo(ExecutionState.FINISHED)) {
                    LOG.warnf("check %s is %s already; its answer is not sent again", executionId, execution.state);
                    return;
                }
                execution.moveTo(ExecutionState.FINISHED, clock.instant());
                execution.note = (notePrefix == null ? "" : notePrefix)
                        + (answer.reachable() ? "reachable: " : "unreachable: ") + answer.message();
                events.hypervisorChecked(answer);
            });
            LOG.infof("check of %s: %s (%s)", command.managementHost(), answer.reachable() ? "reachable"
                    : "unreachable", answer.message());
        } finally {
            MDC.remove("managementHost");
            MDC.remove("command");
        }
    }

    private HypervisorChecked check(CheckHypervisor command, HypervisorConnection hypervisor) {
        DiscoveryDriver driver = drivers.discovery(hypervisor.dialect());
        String list = driver.listCommand();
        boolean reachable = false;
        String message;
        try {
            CommandResult result = client.runReconnectingOnce(hypervisor, list);
            if (result.succeeded()) {
                int vms = driver.parseListing(hypervisor, result.stdout()).size();
                reachable = true;
                message = "hypervisor " + hypervisor.name() + " listed " + vms + " VM(s) with `" + list + "` in "
                        + result.took().toMillis() + " ms";
            } else {
                message = "hypervisor " + hypervisor.name() + " answered on SSH but `" + list + "` "
                        + result.failureMessage();
            }
        } catch (HypervisorUnreachableException | IllegalStateException e) {
            message = e.getMessage();
        }
        return new HypervisorChecked(command.commandId(), command.sequenceId(), command.managementHost(), reachable,
                message);
    }
}

package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.Interruption;
import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.executor.ssh.HypervisorUnreachableException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Answers one CheckHypervisor: lists the VMs of the management host's hypervisor over SSH, on a fresh session and,
 * when the pooled connection turns out to be stale, on a new connection (once). Reachable means the listing ran and
 * read as one; otherwise the message is the connection's or the tool's own.
 */
@ApplicationScoped
public class CheckHypervisorExecution implements RunExecution.Work<CheckHypervisor, HypervisorChecked> {

    private static final Logger LOG = Logger.getLogger(CheckHypervisorExecution.class);

    private final RunExecution template;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;

    CheckHypervisorExecution(RunExecution template, Drivers drivers, HypervisorClient client, ExecutorEvents events) {
        this.template = template;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
    }

    /**
     * A check its owner left RUNNING (it restarted, or its lease ran out and this instance took the check over)
     * changes nothing: it is simply carried out again.
     */
    public void answerAgain(UUID executionId, Interruption interruption) {
        template.run(executionId, new AnsweredAgain(interruption));
    }

    @Override
    public ExecutionKind kind() {
        return ExecutionKind.CHECK;
    }

    @Override
    public CheckHypervisor plan(Execution execution) {
        return execution.payload(CheckHypervisor.class);
    }

    @Override
    public Map<String, String> context(UUID executionId, CheckHypervisor command) {
        return Map.of("command", executionId.toString());
    }

    @Override
    public HypervisorChecked carryOut(CheckHypervisor command, HypervisorConnection hypervisor) {
        return check(command, hypervisor);
    }

    @Override
    public HypervisorChecked cannotReach(CheckHypervisor command, String problem) {
        return new HypervisorChecked(command.commandId(), command.sequenceId(), command.managementHost(), false,
                problem);
    }

    @Override
    public void record(Execution execution, CheckHypervisor command, HypervisorChecked answer, Instant at) {
        execution.note = (answer.reachable() ? "reachable: " : "unreachable: ") + answer.message();
        events.hypervisorChecked(answer);
    }

    @Override
    public void log(CheckHypervisor command, HypervisorChecked answer) {
        LOG.infof("check of %s: %s (%s)", command.managementHost(), answer.reachable() ? "reachable" : "unreachable",
                answer.message());
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

    /** The same check, its note saying why it was answered again. */
    private final class AnsweredAgain implements RunExecution.Variant<CheckHypervisor, HypervisorChecked> {

        private final Interruption interruption;

        AnsweredAgain(Interruption interruption) {
            this.interruption = interruption;
        }

        @Override
        public RunExecution.Work<CheckHypervisor, HypervisorChecked> of() {
            return CheckHypervisorExecution.this;
        }

        @Override
        public void record(Execution execution, CheckHypervisor command, HypervisorChecked answer, Instant at) {
            of().record(execution, command, answer, at);
            execution.note = "answered again after " + interruption.stopped() + "; " + execution.note;
        }
    }
}

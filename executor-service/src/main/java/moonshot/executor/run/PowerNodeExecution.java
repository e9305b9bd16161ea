package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.PowerAction;
import moonshot.contract.PowerNode;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.Interruption;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.dialect.PowerDriver;
import moonshot.executor.dialect.PowerDriver.Located;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.executor.ssh.HypervisorUnreachableException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Carries out one power command on one VM: reads its power state, and acts only when it is not already in the state
 * the action leads to (a power command is never repeated needlessly); then reads the state every
 * {@code power-poll-interval} until it is reached or the command's timeout passes. Answers NodePowerObserved, or
 * NodePowerFailed with the tool's own words or the timeout, in the transaction that ends the execution.
 */
@ApplicationScoped
public class PowerNodeExecution implements RunExecution.Work<PowerNodeExecution.Plan, PowerNodeExecution.Outcome> {

    private static final Logger LOG = Logger.getLogger(PowerNodeExecution.class);

    private final RunExecution template;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;
    private final Clock clock;

    PowerNodeExecution(RunExecution template, Drivers drivers, HypervisorClient client, ExecutorEvents events,
                       ExecutorConfig config, Clock clock) {
        this.template = template;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * For a power command its owner left RUNNING (it restarted, or its lease ran out and this instance took the
     * command over): the action may or may not have been sent, and it is never sent again. The state is read once and
     * reported as it is (or the failure to read it), so whoever asked decides what comes next.
     */
    public void reobserve(UUID executionId, Interruption interruption) {
        template.run(executionId, new Reobserved(interruption));
    }

    @Override
    public ExecutionKind kind() {
        return ExecutionKind.POWER;
    }

    @Override
    public Plan plan(Execution execution) {
        return new Plan(execution.nodes.isEmpty() ? null : execution.nodes.get(0).id,
                execution.payload(PowerNode.class));
    }

    @Override
    public Map<String, String> context(UUID executionId, Plan plan) {
        return Map.of("command", executionId.toString(), "node", plan.command.vmName());
    }

    @Override
    public Outcome carryOut(Plan plan, HypervisorConnection hypervisor) {
        RecordingShell shell = shell(hypervisor);
        return power(plan, hypervisor, shell).ranOn(shell);
    }

    @Override
    public Outcome cannotReach(Plan plan, String problem) {
        return Outcome.failed(problem, null);
    }

    @Override
    public void record(Execution execution, Plan plan, Outcome outcome, Instant at) {
        String note = outcome.state != null ? outcome.state + ": " + outcome.detail : "failed: " + outcome.detail;
        execution.note = note;
        if (plan.nodeId != null) {
            ExecutionNode node = execution.nodes.stream().filter(n -> n.id.equals(plan.nodeId)).findFirst()
                    .orElseThrow();
            node.state = outcome.state != null ? NodeExecutionState.SUCCEEDED : NodeExecutionState.FAILED;
            node.command = outcome.shell == null ? null : outcome.shell.transcript();
            node.dispatchedAt = outcome.actedAt != null ? outcome.actedAt
                    : outcome.shell == null ? null : outcome.shell.firstDispatchedAt();
            node.finishedAt = at;
            node.message = note;
        }
        PowerNode command = plan.command;
        if (outcome.state != null) {
            events.powerObserved(new NodePowerObserved(command.commandId(), command.sequenceId(),
                    command.managementHost(), command.role(), command.vmName(), outcome.state, outcome.observedAt));
        } else {
            events.powerFailed(new NodePowerFailed(command.commandId(), command.sequenceId(),
                    command.managementHost(), command.role(), command.vmName(), outcome.detail));
        }
    }

    @Override
    public void log(Plan plan, Outcome outcome) {
        PowerNode command = plan.command;
        if (outcome.state != null) {
            LOG.infof("%s %s of %s: observed %s (%s)", command.action(), command.vmName(), command.managementHost(),
                    outcome.state, outcome.detail);
        } else {
            LOG.warnf("%s %s of %s failed: %s", command.action(), command.vmName(), command.managementHost(),
                    outcome.detail);
        }
    }

    private Outcome power(Plan plan, HypervisorConnection hypervisor, RecordingShell shell) {
        PowerAction action = plan.command.action();
        String target = PowerDriver.target(action);
        try {
            PowerDriver driver = drivers.power(hypervisor.dialect());
            Located vm = locate(driver, hypervisor, plan, shell);
            String before = state(driver, vm, shell);
            if (before.equals(target)) {
                LOG.infof("%s is %s already: %s not sent", vm.vmName(), before, action);
                return Outcome.observed(before, clock.instant(), "already " + before + "; no action sent", null);
            }
            String command = driver.actionCommand(vm, action);
            Duration timeout = Duration.ofSeconds(Math.max(0, plan.command.timeoutSeconds()));
            Instant deadline = clock.instant().plus(timeout);
            CommandResult acted = shell.run(command, max(config.ssh().commandTimeout(), timeout));
            if (!acted.succeeded()) {
                // It may have got there anyway (another hand, a race with the guest): say what is true.
                String now = state(driver, vm, shell);
                return now.equals(target)
                        ? Outcome.observed(now, clock.instant(), "`" + command + "` failed but the VM is " + now,
                        acted.dispatchedAt())
                        : Outcome.failed("`" + command + "` " + acted.failureMessage(), acted.dispatchedAt());
            }
            LOG.infof("%s: sent `%s`, waiting up to %d s for %s", vm.vmName(), command, timeout.toSeconds(), target);
            return awaitState(driver, vm, shell, target, deadline, timeout, command, acted.dispatchedAt());
        } catch (IllegalArgumentException unsafe) {
            return Outcome.failed("refused to build the command: " + unsafe.getMessage(), null);
        } catch (IllegalStateException | HypervisorUnreachableException e) {
            return Outcome.failed(e.getMessage(), null);
        }
    }

    private Outcome awaitState(PowerDriver driver, Located vm, RecordingShell shell, String target, Instant deadline,
                               Duration timeout, String command, Instant actedAt) {
        while (true) {
            String state = state(driver, vm, shell);
            if (state.equals(target)) {
                return Outcome.observed(state, clock.instant(), "`" + command + "` took effect", actedAt);
            }
            if (!clock.instant().isBefore(deadline)) {
                return Outcome.failed("still " + state + " after " + timeout.toSeconds() + " s (`" + command + "`)",
                        actedAt);
            }
            try {
                Thread.sleep(config.powerPollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + vm.vmName() + " to be " + target);
            }
        }
    }

    private static Located locate(PowerDriver driver, HypervisorConnection hypervisor, Plan plan,
                                  RecordingShell shell) {
        String locate = driver.locateCommand();
        String output = null;
        if (locate != null) {
            output = succeeded(shell.run(locate)).stdout();
        }
        return driver.locate(hypervisor, plan.command.vmName(), output);
    }

    private static String state(PowerDriver driver, Located vm, RecordingShell shell) {
        return driver.parseState(vm, succeeded(shell.run(driver.stateCommand(vm))).stdout());
    }

    private static CommandResult succeeded(CommandResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("`" + result.command() + "` " + result.failureMessage());
        }
        return result;
    }

    private RecordingShell shell(HypervisorConnection hypervisor) {
        return new RecordingShell(client, hypervisor, config.ssh().commandTimeout(), config.ssh().commandTimeout());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The VM's node is the execution's one node, if it has one. */
    record Plan(UUID nodeId, PowerNode command) {
    }

    /**
     * Either the observed state (ON or OFF) or the failure; {@code actedAt} when a power action was sent; the shell
     * that ran every command, when one ran.
     */
    record Outcome(String state, Instant observedAt, String detail, Instant actedAt, RecordingShell shell) {
        static Outcome observed(String state, Instant at, String detail, Instant actedAt) {
            return new Outcome(state, at, detail, actedAt, null);
        }

        static Outcome failed(String reason, Instant actedAt) {
            return new Outcome(null, null, reason, actedAt, null);
        }

        Outcome ranOn(RecordingShell shell) {
            return new Outcome(state, observedAt, detail, actedAt, shell);
        }
    }

    /**
     * A power command left running by a stopped instance: its state is read once and reported, the action is not
     * repeated, and the execution ends ABANDONED.
     */
    private final class Reobserved implements RunExecution.Variant<Plan, Outcome> {

        private final Interruption interruption;

        Reobserved(Interruption interruption) {
            this.interruption = interruption;
        }

        @Override
        public RunExecution.Work<Plan, Outcome> of() {
            return PowerNodeExecution.this;
        }

        @Override
        public Outcome carryOut(Plan plan, HypervisorConnection hypervisor) {
            RecordingShell shell = shell(hypervisor);
            try {
                PowerDriver driver = drivers.power(hypervisor.dialect());
                String state = state(driver, locate(driver, hypervisor, plan, shell), shell);
                return Outcome.observed(state, clock.instant(),
                        "re-observed after " + interruption.stopped() + "; the action was not repeated", null)
                        .ranOn(shell);
            } catch (IllegalArgumentException | IllegalStateException | HypervisorUnreachableException e) {
                return Outcome.failed(stopped(plan) + ", and its power state cannot be read now: " + e.getMessage(),
                        null).ranOn(shell);
            }
        }

        @Override
        public Outcome cannotReach(Plan plan, String problem) {
            return Outcome.failed(stopped(plan) + "; " + problem, null);
        }

        @Override
        public ExecutionState end() {
            return ExecutionState.ABANDONED;
        }

        @Override
        public void record(Execution execution, Plan plan, Outcome outcome, Instant at) {
            of().record(execution, plan, outcome, at);
            execution.note = interruption.note() + "; " + execution.note;
        }

        private String stopped(Plan plan) {
            return interruption.stopped() + " while carrying out " + plan.command.action() + " of "
                    + plan.command.vmName();
        }
    }
}

package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.PowerAction;
import moonshot.contract.PowerNode;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.KnownHost;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.dialect.PowerDriver;
import moonshot.executor.dialect.PowerDriver.Located;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.KnownHostRepository;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.executor.ssh.HypervisorUnreachableException;
import moonshot.executor.messaging.ExecutorEvents;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Carries out one power command on one VM: reads its power state, and acts only when it is not already in the state
 * the action leads to (a power command is never repeated needlessly); then reads the state every
 * {@code power-poll-interval} until it is reached or the command's timeout passes. Answers NodePowerObserved, or
 * NodePowerFailed with the tool's own words or the timeout, in the transaction that ends the execution.
 */
@ApplicationScoped
public class PowerNodeExecution {

    private static final Logger LOG = Logger.getLogger(PowerNodeExecution.class);

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;
    private final Clock clock;

    PowerNodeExecution(ExecutionRepository executions, KnownHostRepository hosts, Drivers drivers,
                       HypervisorClient client, ExecutorEvents events, ExecutorConfig config, Clock clock) {
        this.executions = executions;
        this.hosts = hosts;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    public void run(UUID executionId) {
        Plan plan = QuarkusTransaction.requiringNew().call(() -> plan(executionId));
        withMdc(plan, () -> {
            RecordingShell shell = shell(plan);
            Outcome outcome = plan.hypervisor == null ? Outcome.failed(plan.problem, null) : power(plan, shell);
            finish(plan, outcome, shell, ExecutionState.FINISHED, null);
        });
    }

    /**
     * After a restart, for a power command this instance left RUNNING: the action may or may not have been sent, and it
     * is never sent again. The state is read once and reported as it is (or the failure to read it), so whoever asked
     * decides what comes next.
     */
    public void reobserveAfterRestart(UUID executionId, String instanceId) {
        Plan plan = QuarkusTransaction.requiringNew().call(() -> plan(executionId));
        withMdc(plan, () -> {
            RecordingShell shell = shell(plan);
            String stopped = "executor " + instanceId + " stopped while carrying out " + plan.command.action()
                    + " of " + plan.command.vmName();
            Outcome outcome;
            if (plan.hypervisor == null) {
                outcome = Outcome.failed(stopped + "; " + plan.problem, null);
            } else {
                try {
                    PowerDriver driver = drivers.power(plan.hypervisor.dialect());
                    outcome = Outcome.observed(state(driver, locate(driver, plan, shell), shell), clock.instant(),
                            "re-observed after a restart; the action was not repeated", null);
                } catch (IllegalArgumentException | IllegalStateException | HypervisorUnreachableException e) {
                    outcome = Outcome.failed(stopped + ", and its power state cannot be read now: "
                            + e.getMessage(), null);
                }
            }
            finish(plan, outcome, shell, ExecutionState.ABANDONED, "abandoned: executor restarted mid-execution; ");
        });
    }

    private Plan plan(UUID executionId) {
        Execution execution = executions.findById(executionId);
        PowerNode command = execution.payload(PowerNode.class);
        UUID nodeId = execution.nodes.isEmpty() ? null : execution.nodes.get(0).id;
        KnownHost host = hosts.findActive(execution.managementHost).orElse(null);
        if (host == null) {
            return new Plan(executionId, nodeId, command, null, "management host " + execution.managementHost
                    + " is unknown to the executor (no inventory announcement received)");
        }
        return new Plan(executionId, nodeId, command, host.hypervisor, null);
    }

    private Outcome power(Plan plan, RecordingShell shell) {
        PowerAction action = plan.command.action();
        String target = PowerDriver.target(action);
        try {
            PowerDriver driver = drivers.power(plan.hypervisor.dialect());
            Located vm = locate(driver, plan, shell);
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

    private Located locate(PowerDriver driver, Plan plan, RecordingShell shell) {
        String locate = driver.locateCommand();
        String output = null;
        if (locate != null) {
            output = succeeded(shell.run(locate)).stdout();
        }
        return driver.locate(plan.hypervisor, plan.command.vmName(), output);
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

    private void finish(Plan plan, Outcome outcome, RecordingShell shell, ExecutionState end, String notePrefix) {
        PowerNode command = plan.command;
        QuarkusTransaction.requiringNew().run(() -> {
            Execution execution = executions.findById(plan.executionId);
            if (!execution.state.canMoveTo(end)) {
                LOG.warnf("power command %s is %s already; its outcome is not reported again", plan.executionId,
                        execution.state);
                return;
            }
            String note = outcome.state != null ? outcome.state + ": " + outcome.detail : "failed: " + outcome.detail;
            execution.note = (notePrefix == null ? "" : notePrefix) + note;
            execution.moveTo(end, clock.instant());
            if (plan.nodeId != null) {
                ExecutionNode node = execution.nodes.stream().filter(n -> n.id.equals(plan.nodeId)).findFirst()
                        .orElseThrow();
                node.state = outcome.state != null ? NodeExecutionState.SUCCEEDED : NodeExecutionState.FAILED;
                node.command = shell == null ? null : shell.transcript();
                node.dispatchedAt = outcome.actedAt != null ? outcome.actedAt
                        : shell == null ? null : shell.firstDispatchedAt();
                node.finishedAt = clock.instant();
                node.message = note;
            }
            if (outcome.state != null) {
                events.powerObserved(new NodePowerObserved(command.commandId(), command.sequenceId(),
                        command.managementHost(), command.role(), command.vmName(), outcome.state,
                        outcome.observedAt));
            } else {
                events.powerFailed(new NodePowerFailed(command.commandId(), command.sequenceId(),
                        command.managementHost(), command.role(), command.vmName(), outcome.detail));
            }
        });
        if (outcome.state != null) {
            LOG.infof("%s %s of %s: observed %s (%s)", command.action(), command.vmName(), command.managementHost(),
                    outcome.state, outcome.detail);
        } else {
            LOG.warnf("%s %s of %s failed: %s", command.action(), command.vmName(), command.managementHost(),
                    outcome.detail);
        }
    }

    private RecordingShell shell(Plan plan) {
        return plan.hypervisor == null ? null : new RecordingShell(client, plan.hypervisor,
                config.ssh().commandTimeout(), config.ssh().commandTimeout());
    }

    private static void withMdc(Plan plan, Runnable work) {
        MDC.put("managementHost", plan.command.managementHost());
        MDC.put("command", plan.executionId.toString());
        MDC.put("node", plan.command.vmName());
        try {
            work.run();
        } finally {
            MDC.remove("managementHost");
            MDC.remove("command");
            MDC.remove("node");
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private record Plan(UUID executionId, UUID nodeId, PowerNode command, HypervisorConnection hypervisor,
                        String problem) {
    }

    /** Either the observed state (ON or OFF) or the failure; {@code actedAt} when a power action was sent. */
    private record Outcome(String state, Instant observedAt, String detail, Instant actedAt) {
        static Outcome observed(String state, Instant at, String detail, Instant actedAt) {
            return new Outcome(state, at, detail, actedAt);
        }

        static Outcome failed(String reason, Instant actedAt) {
            return new Outcome(null, null, reason, actedAt);
        }
    }
}

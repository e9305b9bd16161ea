package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.RestoreNode;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.KnownHost;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.dialect.RestoreDriver;
import moonshot.executor.dialect.RestoreFailedException;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.KnownHostRepository;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.executor.ssh.HypervisorUnreachableException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Carries out one RestoreNode with its dialect's {@link RestoreDriver}: the VM must be off, its files on the running
 * datastore are removed, the backup is brought back under the same name and verified (name, id, MACs). Answers
 * NodeRestored, or NodeRestoreFailed with the tool's own words or exactly what differs, in the transaction that ends
 * the execution; the node keeps every command that ran.
 */
@ApplicationScoped
public class RestoreNodeExecution {

    static final String STOPPED_MID_RESTORE = "executor stopped mid-restore; the VM may be half restored: "
            + "retry the restore";

    private static final Logger LOG = Logger.getLogger(RestoreNodeExecution.class);

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;
    private final Clock clock;

    RestoreNodeExecution(ExecutionRepository executions, KnownHostRepository hosts, Drivers drivers,
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
        RestoreNode command = plan.command;
        MDC.put("managementHost", command.managementHost());
        MDC.put("restore", command.restoreId().toString());
        MDC.put("node", command.vmName());
        try {
            RecordingShell shell = null;
            String reason = plan.problem;
            RestoreDriver.Restored restored = null;
            if (plan.hypervisor != null) {
                shell = new RecordingShell(client, plan.hypervisor, config.ssh().commandTimeout(),
                        config.restoreTimeout());
                try {
                    restored = drivers.restore(plan.hypervisor.dialect()).restore(plan.hypervisor, command, shell);
                } catch (IllegalArgumentException unsafe) {
                    reason = "refused: " + unsafe.getMessage();
                } catch (RestoreFailedException | IllegalStateException | HypervisorUnreachableException e) {
                    reason = e.getMessage();
                }
            }
            finish(plan, restored, reason, shell);
        } finally {
            MDC.remove("managementHost");
            MDC.remove("restore");
            MDC.remove("node");
        }
    }

    /** After a restart: a restore left running is never resumed, since nobody knows how far it got. */
    public void reportStoppedAfterRestart(Execution execution, String instanceId) {
        RestoreNode command = execution.payload(RestoreNode.class);
        Instant now = clock.instant();
        for (ExecutionNode node : execution.nodes) {
            node.state = NodeExecutionState.FAILED;
            node.finishedAt = now;
            node.message = STOPPED_MID_RESTORE;
        }
        execution.note = "abandoned: executor " + instanceId + " restarted mid-restore";
        execution.moveTo(ExecutionState.ABANDONED, now);
        events.restoreFailed(new NodeRestoreFailed(command.commandId(), command.restoreId(), command.managementHost(),
                command.role(), command.vmName(), STOPPED_MID_RESTORE));
    }

    private Plan plan(UUID executionId) {
        Execution execution = executions.findById(executionId);
        RestoreNode command = execution.payload(RestoreNode.class);
        Instant now = clock.instant();
        execution.nodes.forEach(node -> {
            node.state = NodeExecutionState.DISPATCHED;
            node.dispatchedAt = now;
        });
        KnownHost host = hosts.findActive(execution.managementHost).orElse(null);
        if (host == null) {
            return new Plan(executionId, command, null, "management host " + execution.managementHost
                    + " is unknown to the executor (no inventory announcement received)");
        }
        return new Plan(executionId, command, host.hypervisor, null);
    }

    private void finish(Plan plan, RestoreDriver.Restored restored, String reason, RecordingShell shell) {
        RestoreNode command = plan.command;
        QuarkusTransaction.requiringNew().run(() -> {
            Execution execution = executions.findById(plan.executionId);
            if (!execution.state.canMoveTo(ExecutionState.FINISHED)) {
                LOG.warnf("restore command %s is %s already; its outcome is not reported again", plan.executionId,
                        execution.state);
                return;
            }
            Instant now = clock.instant();
            String note = restored != null
                    ? "restored " + command.vmName() + " as id " + restored.vmId() + ", MACs " + restored.macs()
                    : "failed: " + reason;
            execution.moveTo(ExecutionState.FINISHED, now);
            execution.note = note;
            for (ExecutionNode node : execution.nodes) {
                node.state = restored != null ? NodeExecutionState.SUCCEEDED : NodeExecutionState.FAILED;
                node.command = shell == null ? null : shell.transcript();
                node.finishedAt = now;
                node.message = note;
            }
            if (restored != null) {
                events.restored(new NodeRestored(command.commandId(), command.restoreId(), command.managementHost(),
                        command.role(), command.vmName(), restored.vmId(), restored.macs()));
            } else {
                events.restoreFailed(new NodeRestoreFailed(command.commandId(), command.restoreId(),
                        command.managementHost(), command.role(), command.vmName(), reason));
            }
        });
        if (restored != null) {
            LOG.infof("restored %s of %s from %s: id %s, MACs %s", command.vmName(), command.managementHost(),
                    command.artifactPath(), restored.vmId(), restored.macs());
        } else {
            LOG.warnf("restore of %s of %s failed: %s", command.vmName(), command.managementHost(), reason);
        }
    }

    private record Plan(UUID executionId, RestoreNode command, HypervisorConnection hypervisor, String problem) {
    }
}

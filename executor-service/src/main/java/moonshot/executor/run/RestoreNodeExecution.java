package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.RestoreNode;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionNode;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.dialect.RestoreDriver;
import moonshot.executor.dialect.RestoreFailedException;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.executor.ssh.HypervisorUnreachableException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Carries out one RestoreNode with its dialect's {@link RestoreDriver}: the VM must be off, its files on the running
 * datastore are removed, the backup is brought back under the same name and verified (name, id, MACs). Answers
 * NodeRestored, or NodeRestoreFailed with the tool's own words or exactly what differs, in the transaction that ends
 * the execution; the node keeps every command that ran.
 */
@ApplicationScoped
class RestoreNodeExecution implements RunExecution.Work<RestoreNode, RestoreNodeExecution.Outcome> {

    private static final Logger LOG = Logger.getLogger(RestoreNodeExecution.class);

    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;
    private final Clock clock;

    RestoreNodeExecution(Drivers drivers, HypervisorClient client, ExecutorEvents events, ExecutorConfig config,
                         Clock clock) {
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public ExecutionKind kind() {
        return ExecutionKind.RESTORE;
    }

    /** The node is DISPATCHED from here on: a restart finds it so, and reports the restore stopped. */
    @Override
    public RestoreNode plan(Execution execution) {
        Instant now = clock.instant();
        execution.nodes.forEach(node -> {
            node.state = NodeExecutionState.DISPATCHED;
            node.dispatchedAt = now;
        });
        return execution.payload(RestoreNode.class);
    }

    @Override
    public Map<String, String> context(UUID executionId, RestoreNode command) {
        return Map.of("restore", command.restoreId().toString(), "node", command.vmName());
    }

    @Override
    public Outcome carryOut(RestoreNode command, HypervisorConnection hypervisor) {
        var shell = new RecordingShell(client, hypervisor, config.ssh().commandTimeout(), config.restoreTimeout());
        try {
            return new Outcome(drivers.restore(hypervisor.dialect()).restore(hypervisor, command, shell), null, shell);
        } catch (IllegalArgumentException unsafe) {
            return new Outcome(null, "refused: " + unsafe.getMessage(), shell);
        } catch (RestoreFailedException | IllegalStateException | HypervisorUnreachableException e) {
            return new Outcome(null, e.getMessage(), shell);
        }
    }

    @Override
    public Outcome cannotReach(RestoreNode command, String problem) {
        return new Outcome(null, problem, null);
    }

    @Override
    public void record(Execution execution, RestoreNode command, Outcome outcome, Instant at) {
        RestoreDriver.Restored restored = outcome.restored;
        String note = restored != null
                ? "restored " + command.vmName() + " as id " + restored.vmId() + ", MACs " + restored.macs()
                : "failed: " + outcome.reason;
        execution.note = note;
        for (ExecutionNode node : execution.nodes) {
            node.state = restored != null ? NodeExecutionState.SUCCEEDED : NodeExecutionState.FAILED;
            node.command = outcome.shell == null ? null : outcome.shell.transcript();
            node.finishedAt = at;
            node.message = note;
        }
        if (restored != null) {
            events.restored(new NodeRestored(command.commandId(), command.restoreId(), command.managementHost(),
                    command.role(), command.vmName(), restored.vmId(), restored.macs()));
        } else {
            events.restoreFailed(new NodeRestoreFailed(command.commandId(), command.restoreId(),
                    command.managementHost(), command.role(), command.vmName(), outcome.reason));
        }
    }

    @Override
    public void log(RestoreNode command, Outcome outcome) {
        if (outcome.restored != null) {
            LOG.infof("restored %s of %s from %s: id %s, MACs %s", command.vmName(), command.managementHost(),
                    command.artifactPath(), outcome.restored.vmId(), outcome.restored.macs());
        } else {
            LOG.warnf("restore of %s of %s failed: %s", command.vmName(), command.managementHost(), outcome.reason);
        }
    }

    /** Either {@code restored} or the {@code reason} it is not; the shell that ran every command, when one ran. */
    record Outcome(RestoreDriver.Restored restored, String reason, RecordingShell shell) {
    }
}

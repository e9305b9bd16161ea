package moonshot.executor.rest;

import com.fasterxml.jackson.databind.JsonNode;
import moonshot.contract.BackupScope;
import moonshot.contract.NodeRole;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionState;
import moonshot.executor.NodeExecutionState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An execution; {@code leaseExpiresAt} is until when {@code owner} holds it while RUNNING; {@code command} is the
 * command any execution but a backup came from (DiscoverVms, DeleteArtifacts, PowerNode, CheckHypervisor,
 * RestoreNode); a power command's or a restore's node lists every command it ran.
 */
public record ExecutionView(UUID id, ExecutionKind kind, String managementHost, BackupScope scope, ExecutionState state,
                            String owner, Instant leaseExpiresAt, Instant acceptedAt, Instant startedAt,
                            Instant finishedAt, String note, JsonNode command, List<NodeView> nodes) {

    public record NodeView(NodeRole role, String vmName, Integer vzdumpVmid, NodeExecutionState state, String command,
                           Instant dispatchedAt, Instant finishedAt, String message) {
    }

    static ExecutionView of(Execution e) {
        return new ExecutionView(e.id, e.kind, e.managementHost, e.scope, e.state, e.owner, e.leaseExpiresAt,
                e.acceptedAt, e.startedAt, e.finishedAt, e.note, e.payload, e.nodes.stream().map(n -> new NodeView(
                n.role, n.vmName, n.vzdumpVmid, n.state, n.command, n.dispatchedAt, n.finishedAt, n.message)).toList());
    }
}

package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.ArtifactDeletion;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Carries out one deletion request: each path strictly inside the hypervisor's backup target is removed with
 * {@code rm -rf -- '<path>'}; any other path is refused. The answer, ArtifactsDeleted, lists what is gone and, for
 * every other path, why not ({@code '<path>': <reason>}); it is written with the execution's end, in one transaction.
 */
@ApplicationScoped
public class DeleteArtifactsExecution
        implements RunExecution.Work<DeleteArtifacts, DeleteArtifactsExecution.Outcome> {

    private static final Logger LOG = Logger.getLogger(DeleteArtifactsExecution.class);

    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;

    DeleteArtifactsExecution(HypervisorClient client, ExecutorEvents events, ExecutorConfig config) {
        this.client = client;
        this.events = events;
        this.config = config;
    }

    @Override
    public ExecutionKind kind() {
        return ExecutionKind.DELETE;
    }

    @Override
    public DeleteArtifacts plan(Execution execution) {
        return execution.payload(DeleteArtifacts.class);
    }

    @Override
    public Map<String, String> context(UUID executionId, DeleteArtifacts command) {
        return Map.of("request", executionId.toString());
    }

    @Override
    public Outcome carryOut(DeleteArtifacts command, HypervisorConnection hypervisor) {
        var outcome = new Outcome(new ArrayList<>(), new ArrayList<>());
        paths(command).forEach(path -> delete(hypervisor, path, outcome.deleted, outcome.failures));
        return outcome;
    }

    @Override
    public Outcome cannotReach(DeleteArtifacts command, String problem) {
        return new Outcome(List.of(), paths(command).stream().map(path -> failure(path, problem)).toList());
    }

    @Override
    public void record(Execution execution, DeleteArtifacts command, Outcome outcome, Instant at) {
        execution.note = "deleted " + outcome.deleted.size() + " of " + paths(command).size() + " artifact(s)"
                + (outcome.failures.isEmpty() ? "" : "; not deleted: " + String.join("; ", outcome.failures));
        events.artifactsDeleted(new ArtifactsDeleted(execution.id, execution.managementHost,
                List.copyOf(outcome.deleted), List.copyOf(outcome.failures)));
    }

    @Override
    public void log(DeleteArtifacts command, Outcome outcome) {
        LOG.infof("deletion %s of %s: %d deleted, %d not", command.requestId(), command.managementHost(),
                outcome.deleted.size(), outcome.failures.size());
    }

    private static List<String> paths(DeleteArtifacts command) {
        return command.artifactPaths() == null ? List.of() : command.artifactPaths();
    }

    private void delete(HypervisorConnection hypervisor, String path, List<String> deleted, List<String> failures) {
        String command;
        try {
            command = ArtifactDeletion.command(hypervisor, path);
        } catch (IllegalArgumentException refused) {
            failures.add(failure(path, "refused: " + refused.getMessage()));
            LOG.warnf("refused to delete %s on %s: %s", CommandValues.printable(path), hypervisor.name(),
                    refused.getMessage());
            return;
        }
        try (var prepared = client.prepare(hypervisor)) {
            CommandResult result = prepared.start(command).await(config.deleteTimeout());
            if (result.succeeded()) {
                deleted.add(path);
                LOG.infof("deleted %s on %s (`%s`)", path, hypervisor.name(), command);
            } else {
                failures.add(failure(path, result.failureMessage()));
                LOG.warnf("could not delete %s on %s: %s", path, hypervisor.name(), result.failureMessage());
            }
        } catch (RuntimeException e) {
            failures.add(failure(path, e.getMessage()));
            LOG.warnf("could not delete %s on %s: %s", path, hypervisor.name(), e.getMessage());
        }
    }

    /** How a path that was not deleted is reported: {@code '<path>': <reason>}. */
    public static String failure(String path, String reason) {
        return CommandValues.printable(path) + ": " + reason;
    }

    record Outcome(List<String> deleted, List<String> failures) {
    }
}

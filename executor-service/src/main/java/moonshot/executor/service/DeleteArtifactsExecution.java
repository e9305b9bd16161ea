package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;
import moonshot.executor.KnownHost;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.ArtifactDeletion;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.KnownHostRepository;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Carries out one deletion request: each path strictly inside the hypervisor's backup target is removed with
 * {@code rm -rf -- '<path>'}; any other path is refused. The answer, ArtifactsDeleted, lists what is gone and, for
 * every other path, why not ({@code '<path>': <reason>}); it is written with the execution's end, in one transaction.
 */
@ApplicationScoped
public class DeleteArtifactsExecution {

    private static final Logger LOG = Logger.getLogger(DeleteArtifactsExecution.class);

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;
    private final Clock clock;

    DeleteArtifactsExecution(ExecutionRepository executions, KnownHostRepository hosts, HypervisorClient client,
                             ExecutorEvents events, ExecutorConfig config, Clock clock) {
        this.executions = executions;
        this.hosts = hosts;
        this.client = client;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    public void run(UUID executionId) {
        Plan plan = QuarkusTransaction.requiringNew().call(() -> plan(executionId));
        MDC.put("managementHost", plan.managementHost);
        MDC.put("request", executionId.toString());
        try {
            List<String> deleted = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (String path : plan.paths) {
                if (plan.hypervisor == null) {
                    failures.add(failure(path, plan.problem));
                } else {
                    delete(plan.hypervisor, path, deleted, failures);
                }
            }
            finish(plan, deleted, failures);
        } finally {
            MDC.remove("managementHost");
            MDC.remove("request");
        }
    }

    private Plan plan(UUID executionId) {
        Execution execution = executions.findById(executionId);
        DeleteArtifacts command = execution.payload(DeleteArtifacts.class);
        List<String> paths = command.artifactPaths() == null ? List.of() : command.artifactPaths();
        KnownHost host = hosts.findActive(execution.managementHost).orElse(null);
        if (host == null) {
            return new Plan(executionId, execution.managementHost, null, paths,
                    "management host " + execution.managementHost + " is unknown to the executor "
                            + "(no inventory announcement received)");
        }
        return new Plan(executionId, execution.managementHost, host.hypervisor, paths, null);
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

    private void finish(Plan plan, List<String> deleted, List<String> failures) {
        QuarkusTransaction.requiringNew().run(() -> {
            Execution execution = executions.findById(plan.executionId);
            if (!execution.state.canMoveTo(ExecutionState.FINISHED)) {
                LOG.warnf("deletion %s is %s already; its outcome is not reported again", plan.executionId,
                        execution.state);
                return;
            }
            execution.moveTo(ExecutionState.FINISHED, clock.instant());
            execution.note = "deleted " + deleted.size() + " of " + plan.paths.size() + " artifact(s)"
                    + (failures.isEmpty() ? "" : "; not deleted: " + String.join("; ", failures));
            events.artifactsDeleted(new ArtifactsDeleted(plan.executionId, plan.managementHost, List.copyOf(deleted),
                    List.copyOf(failures)));
        });
        LOG.infof("deletion %s of %s: %d deleted, %d not", plan.executionId, plan.managementHost, deleted.size(),
                failures.size());
    }

    static String failure(String path, String reason) {
        return CommandValues.printable(path) + ": " + reason;
    }

    private record Plan(UUID executionId, String managementHost, HypervisorConnection hypervisor, List<String> paths,
                        String problem) {
    }
}

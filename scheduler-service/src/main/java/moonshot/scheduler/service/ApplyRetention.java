package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.CloudEvent;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.EventTypes;
import moonshot.contract.Topics;
import moonshot.messaging.Outbox;
import moonshot.scheduler.BackupPolicy;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.NodeBackup;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RetentionState;
import moonshot.scheduler.config.SchedulerConfig;
import moonshot.scheduler.repository.BackupPolicyRepository;
import moonshot.scheduler.repository.BackupRunRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Applies a policy's retention: decides with {@link RetentionRules}, then asks the executor to delete the dropped
 * sets' files on the hypervisor ({@code DeleteArtifacts}); the catalog marks them deleted when the executor says so.
 * Runs after every run a policy fired, and on request.
 */
@ApplicationScoped
public class ApplyRetention {

    private static final Logger LOG = Logger.getLogger(ApplyRetention.class);

    private final BackupPolicyRepository policies;
    private final BackupRunRepository runs;
    private final Outbox outbox;
    private final SchedulerConfig config;
    private final Clock clock;

    ApplyRetention(BackupPolicyRepository policies, BackupRunRepository runs, Outbox outbox, SchedulerConfig config,
                   Clock clock) {
        this.policies = policies;
        this.runs = runs;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    public record Decision(UUID policyId, boolean dryRun, List<UUID> kept, List<UUID> deleted) {
    }

    void onRunFinished(@Observes RunFinished finished) {
        if (finished.run().policyId != null) {
            apply(finished.run().policyId, false);
        }
    }

    @Transactional
    public Decision apply(UUID policyId, boolean dryRun) {
        BackupPolicy policy = policies.findByIdOptional(policyId)
                .orElseThrow(() -> new NotFoundException("no policy " + policyId));
        List<BackupRun> candidates = runs.retainedOfPolicy(policyId);
        Set<UUID> keep = RetentionRules.keep(candidates.stream()
                        .map(r -> new RetentionRules.BackupSet(r.id, r.requestedAt, r.isCompleteSet(), r.protectedBaseline))
                        .toList(),
                new RetentionRules.Limits(policy.keepLast, policy.keepDaily, policy.keepWeekly, policy.keepMonthly),
                config.zone());
        List<BackupRun> dropped = candidates.stream().filter(r -> !keep.contains(r.id)).toList();
        if (!dryRun) {
            dropped.forEach(this::delete);
        }
        return new Decision(policyId, dryRun, List.copyOf(keep), dropped.stream().map(r -> r.id).toList());
    }

    private void delete(BackupRun run) {
        List<String> paths = run.nodes.stream()
                .filter(n -> n.state == NodeBackupState.SUCCEEDED && n.artifactPath != null && n.deletedAt == null)
                .map(n -> n.artifactPath)
                .toList();
        if (paths.isEmpty()) {
            run.retentionState = RetentionState.DELETED;
            run.retentionNote = "no artifact left on the hypervisor";
            return;
        }
        run.retentionState = RetentionState.DELETING;
        run.retentionRequest = UUID.randomUUID();
        var command = new DeleteArtifacts(run.retentionRequest, run.managementHost, paths);
        outbox.send(Topics.EXECUTOR_COMMANDS, run.managementHost, CloudEvent.of("/scheduler-service",
                EventTypes.DELETE_ARTIFACTS, run.id.toString(), command, clock.instant()));
        LOG.infof("retention: deleting run %s of %s (%s, %s): %s", run.id, run.managementHost, run.scope,
                run.requestedAt, paths);
    }

    /** The executor's answer: the artifacts it removed and the ones it could not. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void artifactsDeleted(ArtifactsDeleted answer) {
        BackupRun run = runs.byRetentionRequest(answer.requestId()).orElse(null);
        if (run == null) {
            LOG.warnf("retention: no run waits for deletion request %s; ignoring", answer.requestId());
            return;
        }
        for (NodeBackup node : run.nodes) {
            if (node.artifactPath != null && answer.deleted().contains(node.artifactPath)) {
                node.deletedAt = clock.instant();
            }
        }
        if (answer.failures() == null || answer.failures().isEmpty()) {
            run.retentionState = RetentionState.DELETED;
            run.retentionNote = "deleted " + answer.deleted().size() + " artifact(s) from the hypervisor";
        } else {
            run.retentionState = RetentionState.DELETE_FAILED;
            run.retentionNote = String.join("; ", answer.failures());
            LOG.warnf("retention: run %s of %s: could not delete: %s", run.id, run.managementHost, run.retentionNote);
        }
    }
}

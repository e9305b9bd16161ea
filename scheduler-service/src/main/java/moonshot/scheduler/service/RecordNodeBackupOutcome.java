package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRole;
import moonshot.contract.UnusableEventException;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.NodeBackup;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RunState;
import moonshot.scheduler.config.SchedulerConfig;
import moonshot.scheduler.repository.BackupRunRepository;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.UUID;

/** Applies the executor's node events to the run they belong to, and closes the run once every node is done. */
@ApplicationScoped
public class RecordNodeBackupOutcome {

    private static final Logger LOG = Logger.getLogger(RecordNodeBackupOutcome.class);

    private final BackupRunRepository runs;
    private final Clock clock;
    private final SchedulerConfig config;
    private final Event<RunFinished> finished;

    RecordNodeBackupOutcome(BackupRunRepository runs, Clock clock, SchedulerConfig config, Event<RunFinished> finished) {
        this.runs = runs;
        this.clock = clock;
        this.config = config;
        this.finished = finished;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void started(NodeBackupStarted event) {
        BackupRun run = run(event.runId());
        NodeBackup node = node(run, event.role());
        if (run.state == RunState.QUEUED) {
            run.moveTo(RunState.RUNNING, event.dispatchedAt());
        }
        if (node.state == NodeBackupState.PENDING) {
            node.state = NodeBackupState.RUNNING;
            node.dispatchedAt = event.dispatchedAt();
        }
        LOG.infof("node %s (%s) of run %s: backup dispatched", event.role(), event.vmName(), run.id);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void succeeded(NodeBackupSucceeded event) {
        BackupRun run = run(event.runId());
        NodeBackup node = node(run, event.role());
        if (node.state.isTerminal()) {
            LOG.warnf("node %s of run %s already %s; ignoring a late success", event.role(), run.id, node.state);
            return;
        }
        node.state = NodeBackupState.SUCCEEDED;
        node.dispatchedAt = event.dispatchedAt();
        node.snapshotNotBefore = event.snapshotNotBefore();
        node.snapshotNotAfter = event.snapshotNotAfter();
        node.snapshotWitness = event.snapshotWitness();
        node.finishedAt = event.finishedAt();
        node.artifactPath = event.artifactPath();
        node.sizeBytes = event.sizeBytes();
        node.sha256 = event.sha256();
        node.macs = event.macs();
        node.vmConfig = event.vmConfig();
        node.message = event.note();
        LOG.infof("node %s (%s) of run %s: backup succeeded, %s (%d bytes, sha256 %s)", event.role(),
                event.vmName(), run.id, event.artifactPath(), event.sizeBytes(), event.sha256());
        closeIfDone(run);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void failed(NodeBackupFailed event) {
        BackupRun run = run(event.runId());
        NodeBackup node = node(run, event.role());
        if (node.state.isTerminal()) {
            LOG.warnf("node %s of run %s already %s; ignoring a late failure", event.role(), run.id, node.state);
            return;
        }
        node.state = NodeBackupState.FAILED;
        node.dispatchedAt = event.dispatchedAt();
        node.finishedAt = event.finishedAt();
        node.message = event.reason();
        LOG.warnf("node %s (%s) of run %s: backup failed: %s", event.role(), event.vmName(), run.id, event.reason());
        closeIfDone(run);
    }

    private void closeIfDone(BackupRun run) {
        run.pairSkew(config.pairSkewThreshold()).ifPresent(skew -> {
            run.skewMillis = skew.skewMillis();
            run.skewPrecisionMillis = skew.precisionMillis();
            run.skewSource = skew.source();
            run.consistent = skew.consistent();
            if (!Boolean.TRUE.equals(run.consistent)) {
                LOG.warnf("run %s of %s: the pair's snapshots started %d ms (± %d ms, %s) apart; threshold %d ms: "
                        + "consistent %s", run.id, run.managementHost, skew.skewMillis(), skew.precisionMillis(),
                        skew.source(), config.pairSkewThreshold().toMillis(), skew.verdict());
            }
        });
        run.outcome().ifPresent(outcome -> {
            if (run.state == RunState.QUEUED) {
                run.moveTo(RunState.RUNNING, clock.instant());
            }
            if (run.state.canMoveTo(outcome)) {
                run.moveTo(outcome, clock.instant());
                LOG.infof("run %s of %s finished %s", run.id, run.managementHost, outcome);
                finished.fire(new RunFinished(run));
            }
        });
    }

    private BackupRun run(UUID runId) {
        return runs.findByIdOptional(runId)
                .orElseThrow(() -> new UnusableEventException("unknown backup run " + runId));
    }

    private static NodeBackup node(BackupRun run, NodeRole role) {
        return run.node(role).orElseThrow(() -> new UnusableEventException(
                "backup run " + run.id + " has no " + role + " node"));
    }
}

package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
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

/**
 * Applies the executor's node events to the run they belong to (under the run's row lock), and closes the run once
 * every node is done; the same close for a run whose deadline passed without them. An event for a run that already
 * ended (by its deadline, say) changes nothing: it is logged and dropped, not dead-lettered.
 */
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
        if (endedAlready(run, "NodeBackupStarted", node)) {
            return;
        }
        if (run.state == RunState.QUEUED) {
            run.moveTo(RunState.RUNNING, event.dispatchedAt());
            // counted on this service's clock, like every deadline it keeps
            run.deadlineAt = clock.instant().plus(config.deadline().run());
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
        if (endedAlready(run, "NodeBackupSucceeded (artifact " + event.artifactPath()
                + ", left on the hypervisor outside the catalog)", node)) {
            return;
        }
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
        if (endedAlready(run, "NodeBackupFailed", node)) {
            return;
        }
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

    /**
     * The run's deadline passed without the executor's answer: each node without an outcome fails with
     * {@code reason}, and the run closes from its nodes' outcomes as any run does (FAILED, or PARTIALLY_FAILED when a
     * node did succeed), with what follows a run's end ({@link RunFinished}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void deadlinePassed(BackupRun run, String reason) {
        for (NodeBackup node : run.nodes) {
            if (!node.state.isTerminal()) {
                node.state = NodeBackupState.FAILED;
                node.finishedAt = clock.instant();
                node.message = reason;
            }
        }
        closeIfDone(run);
    }

    private static boolean endedAlready(BackupRun run, String what, NodeBackup node) {
        if (run.state.isActive()) {
            return false;
        }
        LOG.infof("run %s of %s already ended %s; the executor's late %s for %s (%s) changes nothing", run.id,
                run.managementHost, run.state, what, node.role, node.vmName);
        return true;
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
            if (run.state == RunState.QUEUED && !run.state.canMoveTo(outcome)) {
                // only FAILED is reached straight from QUEUED, and then the run shows no start it never had
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
        return runs.findByIdOptional(runId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> new UnusableEventException("unknown backup run " + runId));
    }

    private static NodeBackup node(BackupRun run, NodeRole role) {
        return run.node(role).orElseThrow(() -> new UnusableEventException(
                "backup run " + run.id + " has no " + role + " node"));
    }
}

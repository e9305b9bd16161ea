package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionNode;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.ArtifactMeasurement;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.dialect.SnapshotWitness;
import moonshot.executor.dialect.VmConfigs;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Carries out one backup execution. Every node's channel is opened and its command built first; then all commands
 * are released at one barrier, each on its own channel, so the CONTROLLER and BAREMETAL snapshots start together
 * instead of one whole backup apart. While the tools run, each node's snapshot is watched on the hypervisor
 * ({@link WatchSnapshotStart}); when a tool exits 0 its artifact is the one new on the hypervisor, checked restorable
 * and measured there. Each node reports started, then succeeded (with its artifact and when its snapshot began) or
 * failed (with the tool's own message), each report in its own transaction with its outbox event, and only while this
 * instance still owns the backup ({@link RecordIfStillOwned}).
 */
@ApplicationScoped
class BackupExecution implements RunExecution.Work<BackupExecution.Plan, Void> {

    private static final Logger LOG = Logger.getLogger(BackupExecution.class);

    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;
    private final Clock clock;
    private final RecordIfStillOwned ownership;
    private final WatchSnapshotStart watch;
    private final ExecutorService nodeThreads = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "backup-node");
        thread.setDaemon(true);
        return thread;
    });

    BackupExecution(Drivers drivers, HypervisorClient client, ExecutorEvents events, ExecutorConfig config,
                    Clock clock, RecordIfStillOwned ownership) {
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.config = config;
        this.clock = clock;
        this.ownership = ownership;
        this.watch = new WatchSnapshotStart(client, clock, config.snapshotWitness());
    }

    @Override
    public ExecutionKind kind() {
        return ExecutionKind.BACKUP;
    }

    @Override
    public Plan plan(Execution execution) {
        return new Plan(execution.id, execution.managementHost, execution.nodes.stream()
                .filter(n -> !n.state.isTerminal())
                .map(n -> new PlannedNode(n.id, new BackupTarget(n.role, n.vmName, n.vzdumpVmid)))
                .toList());
    }

    @Override
    public Map<String, String> context(UUID executionId, Plan plan) {
        return Map.of("run", executionId.toString());
    }

    @Override
    public Void carryOut(Plan plan, HypervisorConnection hypervisor) {
        runTogether(plan, hypervisor);
        return null;
    }

    @Override
    public Void cannotReach(Plan plan, String problem) {
        plan.nodes.forEach(node -> fail(plan, node, null, problem));
        return null;
    }

    /** Each node reported its own outcome as it ended; the execution only ends. */
    @Override
    public void record(Execution execution, Plan plan, Void outcome, Instant at) {
    }

    @Override
    public void log(Plan plan, Void outcome) {
    }

    private void runTogether(Plan plan, HypervisorConnection hypervisor) {
        BackupDriver driver = drivers.backup(hypervisor.dialect());
        Instant now = clock.instant();
        List<Ready> ready = new ArrayList<>();
        for (PlannedNode node : plan.nodes) {
            try {
                ready.add(prepare(hypervisor, driver, node, now));
            } catch (IllegalArgumentException unsafe) {
                fail(plan, node, null, "refused to build the command: " + unsafe.getMessage());
            } catch (RuntimeException unreachable) {
                fail(plan, node, null, unreachable.getMessage());
            }
        }
        var barrier = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (Ready each : ready) {
            running.add(nodeThreads.submit(() -> {
                MDC.put("managementHost", plan.managementHost);
                MDC.put("run", plan.executionId.toString());
                MDC.put("node", each.node.target.role().name());
                try (each.channel) {
                    barrier.await();
                    backUp(plan, hypervisor, driver, each);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    fail(plan, each.node, null, e.getMessage());
                } finally {
                    MDC.clear();
                }
                return null;
            }));
        }
        barrier.countDown();
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (Exception e) {
                LOG.warnf("a node thread of run %s ended abnormally: %s", plan.executionId, e.getMessage());
            }
        }
    }

    /**
     * Everything a node needs before the barrier, so that nothing but the command itself happens after it: what
     * artifacts of the VM exist already, what the snapshot witness sees now, and an open channel.
     */
    private Ready prepare(HypervisorConnection hypervisor, BackupDriver driver, PlannedNode node, Instant now) {
        RemoteShell shell = shell(hypervisor);
        String command = driver.backupCommand(hypervisor, node.target, now, shell);
        CommandResult listing = shell.run(driver.listArtifactsCommand(hypervisor, node.target, now));
        if (!listing.succeeded()) {
            throw new IllegalStateException("cannot list the backups of " + node.target.vmName() + " before starting: `"
                    + listing.command() + "` " + listing.failureMessage());
        }
        Set<String> before = driver.artifacts(node.target, listing.stdout());
        SnapshotWitness witness = null;
        Set<String> seenBefore = Set.of();
        try {
            witness = driver.snapshotWitness(hypervisor, node.target, now, shell);
            CommandResult look = shell.run(witness.pollCommand());
            if (!look.succeeded()) {
                throw new IllegalStateException("`" + look.command() + "` " + look.failureMessage());
            }
            seenBefore = witness.marks().apply(look.stdout());
        } catch (RuntimeException e) {
            LOG.warnf("%s on %s: the snapshot's start cannot be watched (%s); its skew will be unknown",
                    node.target.vmName(), hypervisor.name(), e.getMessage());
            witness = null;
        }
        return new Ready(node, command, before, witness, seenBefore, now, client.prepare(hypervisor));
    }

    private void backUp(Plan plan, HypervisorConnection hypervisor, BackupDriver driver, Ready ready) {
        BackupTarget target = ready.node.target;
        var running = ready.channel.start(ready.command);
        Instant dispatchedAt = running.dispatchedAt();
        ownership.record(plan.executionId, "the dispatch of " + target.vmName(), execution -> {
            ExecutionNode node = node(execution, ready.node.id);
            node.state = NodeExecutionState.DISPATCHED;
            node.command = ready.command;
            node.dispatchedAt = dispatchedAt;
            events.started(new NodeBackupStarted(plan.executionId, plan.managementHost, target.role(),
                    target.vmName(), dispatchedAt));
        });
        LOG.infof("%s on %s: dispatched `%s`", target.vmName(), hypervisor.name(), ready.command);
        WatchSnapshotStart.Seen seen = ready.witness == null ? null
                : watch.watch(hypervisor, ready.witness, ready.seenBefore, running);
        CommandResult result = running.await(config.backupTimeout());
        if (!result.succeeded()) {
            fail(plan, ready.node, dispatchedAt, result.failureMessage());
            return;
        }
        var outcome = CheckBackupArtifact.check(hypervisor, driver, target, ready.now, ready.before,
                shell(hypervisor));
        if (outcome.problem() != null) {
            fail(plan, ready.node, dispatchedAt, outcome.problem());
            return;
        }
        String artifact = outcome.checked().artifactPath();
        ArtifactMeasurement.Measured measured = outcome.checked().measured();
        VmConfigs.Captured captured = outcome.checked().captured();
        Instant finishedAt = clock.instant();
        boolean recorded = ownership.record(plan.executionId, "the success of " + target.vmName(), execution -> {
            ExecutionNode node = node(execution, ready.node.id);
            node.state = NodeExecutionState.SUCCEEDED;
            node.finishedAt = finishedAt;
            node.message = artifact;
            events.succeeded(new NodeBackupSucceeded(plan.executionId, plan.managementHost, target.role(),
                    target.vmName(), artifact, measured.sizeBytes(), measured.sha256(), dispatchedAt,
                    seen == null ? null : seen.notBefore(), seen == null ? null : seen.notAfter(),
                    seen == null ? null : seen.source(), finishedAt, captured.macs(), captured.config(),
                    driver.note(target, result.stdout(), result.stderr()).orElse(null)));
        });
        if (!recorded) {
            return;
        }
        LOG.infof("%s on %s: backup succeeded, %s (%d bytes) in %d ms; snapshot began %s", target.vmName(),
                hypervisor.name(), artifact, measured.sizeBytes(), result.took().toMillis(), seen == null
                        ? "unwitnessed" : "between +" + Duration.between(dispatchedAt, seen.notBefore()).toMillis()
                        + " and +" + Duration.between(dispatchedAt, seen.notAfter()).toMillis() + " ms ("
                        + seen.source() + ")");
    }

    private RemoteShell shell(HypervisorConnection hypervisor) {
        return new RecordingShell(client, hypervisor, config.ssh().commandTimeout(), config.measureTimeout());
    }

    private void fail(Plan plan, PlannedNode planned, Instant dispatchedAt, String reason) {
        Instant finishedAt = clock.instant();
        boolean recorded = ownership.record(plan.executionId, "the failure of " + planned.target.vmName(),
                execution -> {
                    ExecutionNode node = node(execution, planned.id);
                    node.state = NodeExecutionState.FAILED;
                    node.finishedAt = finishedAt;
                    node.message = reason;
                    events.failed(new NodeBackupFailed(plan.executionId, plan.managementHost, planned.target.role(),
                            planned.target.vmName(), reason, dispatchedAt, finishedAt));
                });
        if (!recorded) {
            return;
        }
        LOG.warnf("%s of %s: backup failed: %s", planned.target.vmName(), plan.managementHost, reason);
    }

    private static ExecutionNode node(Execution execution, UUID nodeId) {
        return execution.nodes.stream().filter(n -> n.id.equals(nodeId)).findFirst().orElseThrow();
    }

    record Plan(UUID executionId, String managementHost, List<PlannedNode> nodes) {
    }

    record PlannedNode(UUID id, BackupTarget target) {
    }

    private record Ready(PlannedNode node, String command, Set<String> before, SnapshotWitness witness,
                         Set<String> seenBefore, Instant now, HypervisorClient.PreparedCommand channel) {
    }
}

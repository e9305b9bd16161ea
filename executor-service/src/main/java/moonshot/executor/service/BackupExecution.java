package moonshot.executor.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import moonshot.contract.BackupTarget;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionNode;
import moonshot.executor.ExecutionState;
import moonshot.executor.KnownHost;
import moonshot.executor.NodeExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.ArtifactMeasurement;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.dialect.VmConfigs;
import moonshot.executor.messaging.ExecutorEvents;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.repository.KnownHostRepository;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Carries out one backup execution. Every node's channel is opened and its command built first; then all commands
 * are released at one barrier, each on its own channel, so the CONTROLLER and BAREMETAL snapshots start together
 * instead of one whole backup apart. Each node reports started, then succeeded (with its measured artifact) or
 * failed (with the tool's own message), each report in its own transaction with its outbox event.
 */
@ApplicationScoped
public class BackupExecution {

    private static final Logger LOG = Logger.getLogger(BackupExecution.class);

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final Drivers drivers;
    private final HypervisorClient client;
    private final ExecutorEvents events;
    private final ExecutorConfig config;
    private final Clock clock;
    private final EntityManager entityManager;
    private final ExecutorService nodeThreads = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "backup-node");
        thread.setDaemon(true);
        return thread;
    });

    BackupExecution(ExecutionRepository executions, KnownHostRepository hosts, Drivers drivers,
                    HypervisorClient client, ExecutorEvents events, ExecutorConfig config, Clock clock,
                    EntityManager entityManager) {
        this.executions = executions;
        this.hosts = hosts;
        this.drivers = drivers;
        this.client = client;
        this.events = events;
        this.config = config;
        this.clock = clock;
        this.entityManager = entityManager;
    }

    public void run(UUID executionId) {
        Plan plan = QuarkusTransaction.requiringNew().call(() -> plan(executionId));
        MDC.put("managementHost", plan.managementHost);
        MDC.put("run", executionId.toString());
        try {
            if (plan.hypervisor == null) {
                plan.nodes.forEach(node -> fail(plan, node, null, plan.problem));
            } else {
                runTogether(plan);
            }
            QuarkusTransaction.requiringNew().run(() -> {
                Execution execution = executions.findById(executionId);
                if (execution.state.canMoveTo(ExecutionState.FINISHED)) {
                    execution.moveTo(ExecutionState.FINISHED, clock.instant());
                }
            });
        } finally {
            MDC.remove("managementHost");
            MDC.remove("run");
        }
    }

    private Plan plan(UUID executionId) {
        Execution execution = executions.findById(executionId);
        List<PlannedNode> nodes = execution.nodes.stream()
                .filter(n -> !n.state.isTerminal())
                .map(n -> new PlannedNode(n.id, new BackupTarget(n.role, n.vmName, n.vzdumpVmid)))
                .toList();
        KnownHost host = hosts.findActive(execution.managementHost).orElse(null);
        if (host == null) {
            return new Plan(executionId, execution.managementHost, null, nodes,
                    "management host " + execution.managementHost + " is unknown to the executor "
                            + "(no inventory announcement received)");
        }
        return new Plan(executionId, execution.managementHost, host.hypervisor, nodes, null);
    }

    private void runTogether(Plan plan) {
        BackupDriver driver = drivers.backup(plan.hypervisor.dialect());
        Instant now = clock.instant();
        List<Ready> ready = new ArrayList<>();
        for (PlannedNode node : plan.nodes) {
            String command;
            try {
                command = driver.backupCommand(plan.hypervisor, node.target, now);
            } catch (IllegalArgumentException unsafe) {
                fail(plan, node, null, "refused to build the command: " + unsafe.getMessage());
                continue;
            }
            try {
                ready.add(new Ready(node, command, client.prepare(plan.hypervisor)));
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
                    backUp(plan, driver, each);
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

    private void backUp(Plan plan, BackupDriver driver, Ready ready) {
        BackupTarget target = ready.node.target;
        var running = ready.channel.start(ready.command);
        Instant dispatchedAt = running.dispatchedAt();
        QuarkusTransaction.requiringNew().run(() -> {
            ExecutionNode node = entityManager.find(ExecutionNode.class, ready.node.id);
            node.state = NodeExecutionState.DISPATCHED;
            node.command = ready.command;
            node.dispatchedAt = dispatchedAt;
            events.started(new NodeBackupStarted(plan.executionId, plan.managementHost, target.role(),
                    target.vmName(), dispatchedAt));
        });
        LOG.infof("%s on %s: dispatched `%s`", target.vmName(), plan.hypervisor.name(), ready.command);
        CommandResult result = running.await(config.backupTimeout());
        if (!result.succeeded()) {
            fail(plan, ready.node, dispatchedAt, result.failureMessage());
            return;
        }
        BackupDriver.BackupOutput output;
        ArtifactMeasurement.Measured measured;
        VmConfigs.Captured captured;
        try {
            output = driver.parse(target, result.stdout(), result.stderr());
            CommandResult measurement = client.run(plan.hypervisor, ArtifactMeasurement.command(output.artifactPath()));
            if (!measurement.succeeded()) {
                fail(plan, ready.node, dispatchedAt, "backup ran but its artifact could not be measured: "
                        + measurement.failureMessage());
                return;
            }
            measured = ArtifactMeasurement.parse(measurement.stdout());
            captured = capture(plan, driver, target, output.artifactPath());
        } catch (RuntimeException e) {
            fail(plan, ready.node, dispatchedAt, "backup ran but its output could not be used: " + e.getMessage());
            return;
        }
        Instant finishedAt = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            ExecutionNode node = entityManager.find(ExecutionNode.class, ready.node.id);
            node.state = NodeExecutionState.SUCCEEDED;
            node.finishedAt = finishedAt;
            node.message = output.artifactPath();
            events.succeeded(new NodeBackupSucceeded(plan.executionId, plan.managementHost, target.role(),
                    target.vmName(), output.artifactPath(), measured.sizeBytes(), measured.sha256(), dispatchedAt,
                    output.snapshotStartedAt(), finishedAt, captured.macs(), captured.config()));
        });
        LOG.infof("%s on %s: backup succeeded, %s (%d bytes) in %d ms", target.vmName(), plan.hypervisor.name(),
                output.artifactPath(), measured.sizeBytes(), result.took().toMillis());
    }

    /** The VM's config and MACs as they were at backup time; a backup without them is still a backup. */
    private VmConfigs.Captured capture(Plan plan, BackupDriver driver, BackupTarget target, String artifactPath) {
        CommandResult result = client.run(plan.hypervisor, driver.captureConfigCommand(plan.hypervisor, target,
                artifactPath));
        if (!result.succeeded()) {
            LOG.warnf("%s: could not capture the VM's config: %s", target.vmName(), result.failureMessage());
            return new VmConfigs.Captured(null, null);
        }
        return new VmConfigs.Captured(VmConfigs.macs(result.stdout()), result.stdout());
    }

    private void fail(Plan plan, PlannedNode planned, Instant dispatchedAt, String reason) {
        Instant finishedAt = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            ExecutionNode node = entityManager.find(ExecutionNode.class, planned.id);
            node.state = NodeExecutionState.FAILED;
            node.finishedAt = finishedAt;
            node.message = reason;
            events.failed(new NodeBackupFailed(plan.executionId, plan.managementHost, planned.target.role(),
                    planned.target.vmName(), reason, dispatchedAt, finishedAt));
        });
        LOG.warnf("%s of %s: backup failed: %s", planned.target.vmName(), plan.managementHost, reason);
    }

    private record Plan(UUID executionId, String managementHost, HypervisorConnection hypervisor,
                        List<PlannedNode> nodes, String problem) {
    }

    private record PlannedNode(UUID id, BackupTarget target) {
    }

    private record Ready(PlannedNode node, String command, HypervisorClient.PreparedCommand channel) {
    }
}

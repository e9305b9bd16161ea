package moonshot.executor;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import moonshot.contract.BackupScope;
import moonshot.contract.BackupTarget;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRole;
import moonshot.contract.StartBackup;
import moonshot.contract.Topics;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.infra.InfrastructureTestResource;
import moonshot.lab.LabAction;
import moonshot.messaging.ReceivedRecords;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases against the lab, the broker and the database: an execution whose owner stopped renewing its lease is taken
 * over by this executor and answered as a restart would answer it; one this executor is working on keeps its lease
 * for as long as the work takes; a worker whose execution was taken over drops what it found.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class LeaseReclaimTest extends LabFixture {

    @Inject
    ExecutionRepository executions;
    @Inject
    ExecutorConfig config;
    @Inject
    Clock clock;

    @Test
    void aBackupLeftByAnExecutorThatNeverCameBackIsAnsweredOnceItsLeaseRunsOut() throws Exception {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        awaitApplied(host);
        Path partial = Files.createDirectories(kvm.backupTarget().resolve("2026-01-01"))
                .resolve("vzdump-qemu-34-2026_01_01-00_00_00.vma.dat");
        Files.writeString(partial, "half an archive");
        // executor-gone renewed its lease a moment ago, then vanished for good; a new replica has another id
        Instant leaseEnds = clock.instant().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        UUID run = leftRunningByGoneExecutor(host, leaseEnds);

        Map<NodeRole, NodeBackupFailed> failed = kafka.awaitRecords(Topics.EXECUTOR_EVENTS,
                        r -> isFor(r, run) && type(r).equals(EventTypes.NODE_BACKUP_FAILED), 2,
                        config.lease().duration().plusSeconds(30)).stream()
                .map(r -> CloudEventCodec.data(ReceivedRecords.cloudEvent(r), NodeBackupFailed.class))
                .collect(Collectors.toMap(NodeBackupFailed::role, Function.identity()));
        String stopped = "executor executor-gone stopped renewing its lease (it expired at " + leaseEnds + ")";
        NodeBackupFailed controller = failed.get(NodeRole.CONTROLLER);
        assertTrue(controller.reason().startsWith(stopped + " while this backup was running on the hypervisor; "
                + "removed the partial artifact ") && controller.reason().endsWith(partial.getFileName().toString()),
                controller.reason());
        assertEquals(stopped + " before this backup was dispatched", failed.get(NodeRole.BAREMETAL).reason());
        failed.values().forEach(node -> assertFalse(node.finishedAt().isBefore(leaseEnds),
                "answered at " + node.finishedAt() + ", before the lease ran out at " + leaseEnds));
        assertFalse(Files.exists(partial), "the killed vzdump's partial archive is removed from the hypervisor");

        JsonPath execution = execution(run);
        assertEquals("ABANDONED", execution.getString("state"));
        assertEquals(config.instanceId(), execution.getString("owner"));
        assertEquals("abandoned: the lease of executor executor-gone expired at " + leaseEnds
                + " mid-execution; answered by executor " + config.instanceId(), execution.getString("note"));
        assertEquals(List.of("FAILED", "FAILED"), execution.getList("nodes.state"));

        UUID later = startBackup(host, new BackupTarget(NodeRole.ADMIN, "Admin_node", 33));
        assertTrue(awaitOutcome(later, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class).artifactPath()
                .contains("vzdump-qemu-33-"));
    }

    @Test
    void aBackupOutlastingSeveralLeasesKeepsItsLeaseAndSucceeds() {
        Duration lease = config.lease().duration();
        kvm.setBackupDuration(lease.multipliedBy(2).plusSeconds(3));
        try {
            String host = announce(kvm, kvm.hostKeyFingerprint());
            UUID run = startBackup(host, new BackupTarget(NodeRole.ADMIN, "Admin_node", 33));
            awaitDispatched(run);
            Instant startedAt = Instant.parse(execution(run).getString("startedAt"));
            Instant claimLeaseEnd = startedAt.plus(lease);
            await().atMost(lease.multipliedBy(3)).until(() -> clock.instant().isAfter(claimLeaseEnd.plusSeconds(1)));

            JsonPath running = execution(run);
            assertEquals("RUNNING", running.getString("state"), "the backup outlasts the lease it was claimed with");
            Instant renewedTo = Instant.parse(running.getString("leaseExpiresAt"));
            assertTrue(renewedTo.isAfter(clock.instant()), "renewed to " + renewedTo);
            assertFalse(expiredAsAnotherReplicaSeesThem().contains(run), "no other replica may take it over");

            awaitOutcome(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
            JsonPath finished = execution(run);
            assertEquals("FINISHED", finished.getString("state"));
            assertEquals(config.instanceId(), finished.getString("owner"));
        } finally {
            kvm.setBackupDuration(Duration.ofMillis(600));
        }
    }

    @Test
    void aWorkerWhoseBackupWasTakenOverDropsItsSuccessAndTheTakerAnswersOnceTheWorkerIsDone() {
        kvm.setBackupDuration(Duration.ofSeconds(6));
        try {
            String host = announce(kvm, kvm.hostKeyFingerprint());
            UUID run = startBackup(host, new BackupTarget(NodeRole.CONTROLLER, "Controller", 34));
            awaitDispatched(run);
            // as executor-other does when its lease-check takes the backup over (this instance's heartbeat could not
            // be written), and then stops renewing that lease itself
            Instant leaseEnds = clock.instant().plusMillis(500).truncatedTo(ChronoUnit.MILLIS);
            QuarkusTransaction.requiringNew().run(() -> {
                Execution execution = executions.findById(run);
                execution.owner = "executor-other";
                execution.leaseExpiresAt = leaseEnds;
            });
            assertEquals(0, QuarkusTransaction.requiringNew().call(() -> executions.renewLeases(config.instanceId(),
                    Set.of(run), clock.instant().plus(config.lease().duration()))), "this instance renews it no more");

            NodeBackupFailed failed = awaitOutcome(run, EventTypes.NODE_BACKUP_FAILED, NodeBackupFailed.class);
            assertTrue(failed.reason().startsWith("executor executor-other stopped renewing its lease (it expired at "
                    + leaseEnds + ") while this backup was running on the hypervisor; "), failed.reason());
            Instant toolDone = kvm.actions().stream()
                    .filter(a -> a.action().equals("BACKUP_FINISHED") && "Controller".equals(a.detail("vm"))
                            && a.at().isAfter(failed.dispatchedAt()))
                    .map(LabAction::at).findFirst()
                    .orElseThrow(() -> new AssertionError("answered before the worker's vzdump had finished"));
            assertTrue(failed.finishedAt().isAfter(toolDone), "answered at " + failed.finishedAt() + ", while this "
                    + "instance's worker was still running it (the tool finished at " + toolDone + ")");
            JsonPath execution = execution(run);
            assertEquals("ABANDONED", execution.getString("state"));
            assertEquals("FAILED", execution.getString("nodes[0].state"), "the worker's success was never written");
        } finally {
            kvm.setBackupDuration(Duration.ofMillis(600));
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** A PAIR backup as an executor that stopped renewing leases leaves it: Controller dispatched, Compute not yet. */
    UUID leftRunningByGoneExecutor(String host, Instant leaseEnds) {
        UUID run = UUID.randomUUID();
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            var execution = new Execution();
            execution.id = run;
            execution.kind = ExecutionKind.BACKUP;
            execution.managementHost = host;
            execution.scope = BackupScope.PAIR;
            execution.acceptedAt = now.minusSeconds(40);
            execution.startedAt = now.minusSeconds(40);
            execution.state = ExecutionState.RUNNING;
            execution.owner = "executor-gone";
            execution.leaseExpiresAt = leaseEnds;
            execution.nodes.add(node(execution, NodeRole.CONTROLLER, "Controller", 34, now.minusSeconds(30)));
            execution.nodes.add(node(execution, NodeRole.BAREMETAL, "Compute", 35, null));
            executions.persist(execution);
        });
        return run;
    }

    private static ExecutionNode node(Execution execution, NodeRole role, String vm, int vmid, Instant dispatchedAt) {
        var node = new ExecutionNode();
        node.id = UUID.randomUUID();
        node.execution = execution;
        node.role = role;
        node.vmName = vm;
        node.vzdumpVmid = vmid;
        node.state = dispatchedAt == null ? NodeExecutionState.PENDING : NodeExecutionState.DISPATCHED;
        node.dispatchedAt = dispatchedAt;
        return node;
    }

    /** The expired leases another replica's look would find now: in a transaction that is rolled back. */
    Set<UUID> expiredAsAnotherReplicaSeesThem() {
        QuarkusTransaction.begin();
        try {
            Instant now = clock.instant();
            return executions.takeOverExpired(now, Set.of(), "executor-other", now.plus(config.lease().duration()),
                    1000).stream().map(ExecutionRepository.TakenOver::id).collect(Collectors.toSet());
        } finally {
            QuarkusTransaction.rollback();
        }
    }

    static void awaitApplied(String host) {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/known-hosts").then().extract()
                .jsonPath().getList("name").contains(host));
    }

    static void awaitDispatched(UUID run) {
        kafka.awaitRecord(Topics.EXECUTOR_EVENTS, r -> isFor(r, run)
                && type(r).equals(EventTypes.NODE_BACKUP_STARTED), Duration.ofSeconds(60));
    }

    static JsonPath execution(UUID id) {
        return given().get("/executions/" + id).then().statusCode(200).extract().jsonPath();
    }

    static UUID startBackup(String host, BackupTarget target) {
        UUID run = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, CloudEventCodec.encode(CloudEvent.of("/scheduler-service",
                EventTypes.START_BACKUP, run.toString(),
                new StartBackup(run, host, BackupScope.ADMIN, List.of(target)), Instant.now())));
        return run;
    }

    /** The first outcome of the run's node; it must be of {@code type}. */
    static <T extends Record> T awaitOutcome(UUID run, String type, Class<T> data) {
        var record = kafka.awaitRecord(Topics.EXECUTOR_EVENTS, r -> isFor(r, run)
                && (type(r).equals(EventTypes.NODE_BACKUP_SUCCEEDED) || type(r).equals(EventTypes.NODE_BACKUP_FAILED)),
                Duration.ofSeconds(60));
        var event = ReceivedRecords.cloudEvent(record);
        assertEquals(type, event.type(), () -> "outcome was " + record.value());
        return CloudEventCodec.data(event, data);
    }
}

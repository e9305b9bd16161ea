package moonshot.executor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import moonshot.contract.BackupScope;
import moonshot.contract.BackupTarget;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.StartBackup;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.lab.Fault;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorLab;
import moonshot.lab.LabAction;
import moonshot.lab.SimulatedHost;
import moonshot.lab.VmSpec;
import moonshot.messaging.ReceivedRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor against the lab over real SSH, driven through the real broker as the scheduler drives it. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class BackupExecutionTest extends LabFixture {

    @Test
    void backsUpOneVmOnEsxiAndReportsTheMeasuredArtifact() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        UUID run = start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin", null));

        var succeeded = awaitOutcome(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
        assertTrue(succeeded.artifactPath().endsWith("/Admin"), succeeded.artifactPath());
        assertTrue(Files.isDirectory(Path.of(succeeded.artifactPath())));
        assertTrue(succeeded.sizeBytes() > 0);
        assertEquals(64, succeeded.sha256().length());

        given().get("/executions/" + run).then().statusCode(200).body("state", equalTo("FINISHED"))
                .body("nodes[0].command", equalTo("xsibackup --backup-point='" + esxi.backupTarget()
                        + "' --backup-type=custom --backup-vms='Admin'"));
    }

    @Test
    void backsUpOneVmOnKvmByItsVzdumpVmid() throws Exception {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        UUID run = start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin_node", 33));

        var succeeded = awaitOutcome(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
        Path archive = Path.of(succeeded.artifactPath());
        assertTrue(archive.getFileName().toString().startsWith("vzdump-qemu-33-"), archive.toString());
        assertEquals(Files.size(archive), succeeded.sizeBytes());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(archive))), succeeded.sha256());
    }

    @Test
    void releasesThePairAtOneBarrierSoBothSnapshotsAreTakenTogether() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        UUID run = start(host, BackupScope.PAIR, new BackupTarget(NodeRole.CONTROLLER, "Ctrl", null),
                new BackupTarget(NodeRole.BAREMETAL, "Bm", null));

        List<ConsumerRecord<String, String>> outcomes = kafka.awaitRecords(Topics.EXECUTOR_EVENTS,
                r -> isFor(r, run) && type(r).equals(EventTypes.NODE_BACKUP_SUCCEEDED), 2, Duration.ofSeconds(60));
        assertEquals(2, outcomes.size());
        // Two concurrent xsibackup calls: each VM's snapshot starts before the other VM's backup has finished.
        Instant ctrlStarted = firstAction(esxi, "SNAPSHOT_STARTED", "Ctrl", run);
        Instant bmStarted = firstAction(esxi, "SNAPSHOT_STARTED", "Bm", run);
        Instant ctrlDone = firstAction(esxi, "BACKUP_FINISHED", "Ctrl", run);
        Instant bmDone = firstAction(esxi, "BACKUP_FINISHED", "Bm", run);
        assertTrue(ctrlStarted.isBefore(bmDone) && bmStarted.isBefore(ctrlDone),
                "snapshots overlap: Ctrl " + ctrlStarted + "–" + ctrlDone + ", Bm " + bmStarted + "–" + bmDone);
    }

    @Test
    void failsTheNodeWithTheToolsMessageWhenTheBackupFails() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        esxi.failNext("xsibackup", Fault.DISK_FULL);
        UUID run = start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin", null));

        var failed = awaitOutcome(run, EventTypes.NODE_BACKUP_FAILED, NodeBackupFailed.class);
        assertTrue(failed.reason().startsWith("exited "), failed.reason());
        assertTrue(failed.reason().contains("No space left on device"), failed.reason());
    }

    @Test
    void refusesAHypervisorWhoseHostKeyDoesNotMatchThePinnedFingerprint() {
        String host = announce(esxi, "SHA256:" + "A".repeat(43));
        UUID run = start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin", null));

        var failed = awaitOutcome(run, EventTypes.NODE_BACKUP_FAILED, NodeBackupFailed.class);
        assertTrue(failed.reason().contains("cannot connect to hypervisor esxi-01"), failed.reason());
    }

    @Test
    void neverPutsAHostileVmNameIntoACommand() throws Exception {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        Path canary = Path.of("target/executor-lab/pwned").toAbsolutePath();
        UUID run = start(host, BackupScope.ADMIN,
                new BackupTarget(NodeRole.ADMIN, "Admin; touch " + canary, null));

        var failed = awaitOutcome(run, EventTypes.NODE_BACKUP_FAILED, NodeBackupFailed.class);
        assertTrue(failed.reason().startsWith("refused to build the command: VM name"), failed.reason());
        assertTrue(Files.notExists(canary));
    }

    @Test
    void aRedeliveredCommandRunsOnce() {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        UUID run = UUID.randomUUID();
        var command = CloudEvent.of("/scheduler-service", EventTypes.START_BACKUP, run.toString(),
                new StartBackup(run, host, BackupScope.ADMIN, List.of(new BackupTarget(NodeRole.ADMIN, "Admin_node", 33))),
                Instant.now());
        kafka.send(Topics.EXECUTOR_COMMANDS, host, CloudEventCodec.encode(command));
        kafka.send(Topics.EXECUTOR_COMMANDS, host, CloudEventCodec.encode(command));

        awaitOutcome(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
        var started = kafka.recordsWithin(Topics.EXECUTOR_EVENTS,
                r -> isFor(r, run) && type(r).equals(EventTypes.NODE_BACKUP_STARTED), Duration.ofSeconds(2));
        assertEquals(1, started.size(), "one dispatch for one command delivered twice");
    }

    @Test
    void checksAHypervisorOverSsh() {
        announce(kvm, kvm.hostKeyFingerprint());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> given().post("/hypervisors/kvm-01/check").statusCode() == 200);
        given().post("/hypervisors/kvm-01/check").then().statusCode(200).body("reachable", equalTo(true))
                .body("output", containsString("Admin_node"));
        given().post("/hypervisors/nope/check").then().statusCode(404);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static UUID start(String host, BackupScope scope, BackupTarget... targets) {
        UUID run = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, CloudEventCodec.encode(CloudEvent.of("/scheduler-service",
                EventTypes.START_BACKUP, run.toString(), new StartBackup(run, host, scope, List.of(targets)),
                Instant.now())));
        return run;
    }

    static <T extends Record> T awaitOutcome(UUID run, String type, Class<T> data) {
        var record = kafka.awaitRecord(Topics.EXECUTOR_EVENTS, r -> isFor(r, run)
                && (type(r).equals(EventTypes.NODE_BACKUP_SUCCEEDED) || type(r).equals(EventTypes.NODE_BACKUP_FAILED)),
                Duration.ofSeconds(60));
        var event = ReceivedRecords.cloudEvent(record);
        assertEquals(type, event.type(), () -> "outcome was " + record.value());
        return CloudEventCodec.data(event, data);
    }

    /** The lab's log entry for {@code vm}, from the latest backup run of it (runs in this class are sequential). */
    static Instant firstAction(SimulatedHost host, String action, String vm, UUID run) {
        List<LabAction> matching = host.actions().stream()
                .filter(a -> a.action().equals(action) && vm.equals(a.details().get("vm")))
                .toList();
        assertTrue(!matching.isEmpty(), "no " + action + " for " + vm + " (run " + run + ")");
        return matching.get(matching.size() - 1).at();
    }
}

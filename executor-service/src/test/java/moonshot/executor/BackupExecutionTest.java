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
import moonshot.lab.Wording;
import moonshot.messaging.ReceivedRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    // The tool version by name: an enum of the lab in the annotation would load lab classes outside Quarkus's loader.
    @ParameterizedTest
    @ValueSource(strings = {"CLASSIC", "NEWER"})
    void witnessesBothSnapshotsOfAnEsxiPairOnTheHypervisorWhateverTheToolPrints(String version) {
        Wording wording = Wording.valueOf(version);
        lab.setWording(wording);
        try {
            String host = announce(esxi, esxi.hostKeyFingerprint());
            UUID run = start(host, BackupScope.PAIR, new BackupTarget(NodeRole.CONTROLLER, "Ctrl", null),
                    new BackupTarget(NodeRole.BAREMETAL, "Bm", null));
            for (NodeBackupSucceeded node : successes(run, 2)) {
                assertEquals("vim-cmd vmsvc/snapshot.get", node.snapshotWitness(), node.toString());
                assertTrue(Files.isDirectory(Path.of(node.artifactPath()).resolve("")), node.artifactPath());
                assertTrue(Path.of(node.artifactPath()).getParent().getFileName().toString().matches("\\d{14}"));
                assertWitnessed(node, firstAction(esxi, "SNAPSHOT_STARTED", node.vmName(), run));
            }
        } finally {
            lab.setWording(Wording.CLASSIC);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLASSIC", "NEWER"})
    void witnessesAKvmPairAndTheWaitVzdumpsLockAddsToTheSecondSnapshot(String version) {
        Wording wording = Wording.valueOf(version);
        lab.setWording(wording);
        try {
            String host = announce(kvm, kvm.hostKeyFingerprint());
            UUID run = start(host, BackupScope.PAIR, new BackupTarget(NodeRole.CONTROLLER, "Controller", 34),
                    new BackupTarget(NodeRole.BAREMETAL, "Compute", 35));
            List<NodeBackupSucceeded> nodes = successes(run, 2);
            String format = wording == Wording.CLASSIC ? ".tgz" : ".vma.lzo";
            for (NodeBackupSucceeded node : nodes) {
                assertTrue(node.artifactPath().endsWith(format), node.artifactPath());
                assertTrue(node.snapshotWitness().startsWith("vzdump"), node.snapshotWitness());
                assertWitnessed(node, firstAction(kvm, "SNAPSHOT_STARTED", node.vmName(), run));
            }
            NodeBackupSucceeded later = nodes.stream().max(java.util.Comparator.comparing(
                    NodeBackupSucceeded::snapshotNotAfter)).orElseThrow();
            NodeBackupSucceeded earlier = nodes.get(later == nodes.get(0) ? 1 : 0);
            Instant earlierDone = firstAction(kvm, "BACKUP_FINISHED", earlier.vmName(), run);
            assertFalse(later.snapshotNotAfter().isBefore(earlierDone), "the second snapshot is seen only once the "
                    + "first VM's whole backup is over (" + earlierDone + "): " + later);
        } finally {
            lab.setWording(Wording.CLASSIC);
        }
    }

    @Test
    void twoNewCopiesOfOneVmFailTheNodeNamingBothRatherThanGuessing() throws Exception {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        int before = esxi.actions().size();
        UUID run = start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin", null));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> esxi.actions().stream()
                .skip(before).anyMatch(a -> a.action().equals("BACKUP_STARTED")));
        Path stray = Files.createDirectories(esxi.backupTarget().resolve("29991231235959/Admin"));
        try {
            var failed = awaitOutcome(run, EventTypes.NODE_BACKUP_FAILED, NodeBackupFailed.class);
            assertTrue(failed.reason().contains("2 new backups of Admin") && failed.reason().contains(stray.toString()),
                    failed.reason());
        } finally {
            Files.delete(stray);
            Files.delete(stray.getParent());
        }
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
        // a later backup for the host (the same partition) ends only after the copy delivered twice was consumed
        awaitOutcome(start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin_node", 33)),
                EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
        var started = kafka.recordsToEnd(Topics.EXECUTOR_EVENTS,
                r -> isFor(r, run) && type(r).equals(EventTypes.NODE_BACKUP_STARTED));
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

    static List<NodeBackupSucceeded> successes(UUID run, int count) {
        List<ConsumerRecord<String, String>> outcomes = kafka.awaitRecords(Topics.EXECUTOR_EVENTS, r -> isFor(r, run)
                && (type(r).equals(EventTypes.NODE_BACKUP_SUCCEEDED) || type(r).equals(EventTypes.NODE_BACKUP_FAILED)),
                count, Duration.ofSeconds(60));
        assertEquals(count, outcomes.size());
        outcomes.forEach(r -> assertEquals(EventTypes.NODE_BACKUP_SUCCEEDED, type(r), r.value()));
        return outcomes.stream().map(r -> CloudEventCodec.data(ReceivedRecords.cloudEvent(r), NodeBackupSucceeded.class))
                .toList();
    }

    /**
     * The executor's window contains the instant the lab logged for the snapshot (the tests' witness, which the product
     * never reads), give or take the few milliseconds between the lab's own file writes and its log line.
     */
    static void assertWitnessed(NodeBackupSucceeded node, Instant labSnapshot) {
        Duration slack = Duration.ofMillis(50);
        assertTrue(!labSnapshot.isBefore(node.snapshotNotBefore().minus(slack))
                        && !labSnapshot.isAfter(node.snapshotNotAfter().plus(slack)),
                node.vmName() + ": the lab's snapshot at " + labSnapshot + " is outside the window "
                        + node.snapshotNotBefore() + " – " + node.snapshotNotAfter());
        assertFalse(node.snapshotWitness().contains("bounded by the tool's exit"), node.toString());
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

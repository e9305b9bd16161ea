package moonshot.executor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.BackupScope;
import moonshot.contract.BackupTarget;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.Dialect;
import moonshot.contract.DiscoverVms;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.StartBackup;
import moonshot.contract.Topics;
import moonshot.contract.VmsDiscovered;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorLab;
import moonshot.lab.SimulatedHost;
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
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery and retention deletion against the lab over real SSH, driven through the real broker. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class DiscoveryAndDeletionTest extends LabFixture {

    static final List<String> ESXI_NODES = List.of("Admin", "Ctrl", "Bm");
    static final List<String> KVM_NODES = List.of("Admin_node", "Controller", "Compute");

    @Test
    void discoversTheVmsOfAnEsxiHostWithEachNodesMacsAndVmx() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        UUID discovery = discover(host);

        var discovered = awaitAnswer(discovery, EventTypes.VMS_DISCOVERED, VmsDiscovered.class);
        assertEquals(host, discovered.managementHost());
        Map<String, DiscoveredVm> vms = byName(discovered.vms());
        for (String vm : ESXI_NODES) {
            DiscoveredVm found = vms.get(vm);
            assertEquals(esxi.macs(vm), found.macs(), vm);
            assertEquals(esxi.isPoweredOn(vm) ? "ON" : "OFF", found.powerState(), vm);
            assertTrue(found.vmId().matches("\\d+"), found.vmId());
            assertTrue(found.config().contains("displayName = \"" + vm + "\""), found.config());
            assertTrue(found.config().contains("ethernet0.generatedAddress = \"" + esxi.macs(vm).get(0) + "\""));
        }
        given().get("/executions/" + discovery).then().statusCode(200)
                .body("kind", equalTo("DISCOVERY")).body("state", equalTo("FINISHED"))
                .body("command.managementHost", equalTo(host)).body("note", startsWith("discovered "));
    }

    @Test
    void discoversTheDomainsOfAKvmHostWithEachNodesMacsAndDomainXml() {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        UUID discovery = discover(host);

        var discovered = awaitAnswer(discovery, EventTypes.VMS_DISCOVERED, VmsDiscovered.class);
        Map<String, DiscoveredVm> vms = byName(discovered.vms());
        for (String vm : KVM_NODES) {
            DiscoveredVm found = vms.get(vm);
            assertEquals(kvm.macs(vm), found.macs(), vm);
            boolean on = kvm.isPoweredOn(vm);
            assertEquals(on ? "ON" : "OFF", found.powerState(), vm);
            assertTrue(on ? found.vmId().matches("\\d+") : found.vmId().equals("-"), found.vmId());
            assertTrue(found.config().contains("<name>" + vm + "</name>"), found.config());
            assertTrue(found.config().contains("<mac address='" + kvm.macs(vm).get(0) + "'/>"), found.config());
        }
    }

    @Test
    void aRedeliveredDiscoverVmsIsAnsweredOnce() {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        UUID discovery = UUID.randomUUID();
        String command = CloudEventCodec.encode(CloudEvent.of("/inventory-service", EventTypes.DISCOVER_VMS,
                discovery.toString(), new DiscoverVms(discovery, host), Instant.now()));
        kafka.send(Topics.EXECUTOR_COMMANDS, host, command);
        kafka.send(Topics.EXECUTOR_COMMANDS, host, command);

        awaitAnswer(discovery, EventTypes.VMS_DISCOVERED, VmsDiscovered.class);
        // a later discovery for the host (the same partition) is answered only after the second copy was consumed
        awaitAnswer(discover(host), EventTypes.VMS_DISCOVERED, VmsDiscovered.class);
        assertEquals(1, kafka.recordsToEnd(Topics.EXECUTOR_EVENTS, r -> isFor(r, discovery)).size(),
                "one answer for one command delivered twice");
    }

    @Test
    void answersDiscoveryFailedWhenTheHypervisorCannotBeReached() {
        String host = announce(esxi, "SHA256:" + "A".repeat(43));
        UUID discovery = discover(host);

        var failed = awaitAnswer(discovery, EventTypes.DISCOVERY_FAILED, DiscoveryFailed.class);
        assertTrue(failed.reason().contains("cannot connect to hypervisor esxi-01"), failed.reason());
    }

    @Test
    void answersDiscoveryFailedForAHostItDoesNotKnow() {
        UUID discovery = discover("mh-never-announced");

        var failed = awaitAnswer(discovery, EventTypes.DISCOVERY_FAILED, DiscoveryFailed.class);
        assertTrue(failed.reason().contains("unknown management host"), failed.reason());
    }

    @Test
    void answersDiscoveryFailedAtOnceForAHostInventoryRemoved() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        remove(host, esxi, esxi.hostKeyFingerprint());
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/known-hosts").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.name == '" + host + "' && it.removed }").size() == 1);

        UUID discovery = discover(host);

        var failed = awaitAnswer(discovery, EventTypes.DISCOVERY_FAILED, DiscoveryFailed.class);
        assertTrue(failed.reason().contains("management host '" + host + "' was removed from inventory"),
                failed.reason());
    }

    @Test
    void deletesABackupFolderOnEsxiAndLeavesEveryPathOutsideTheBackupTargetInPlace() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        Path folder = Path.of(backUp(host, new BackupTarget(NodeRole.ADMIN, "Admin", null)));
        assertTrue(Files.isDirectory(folder));
        Path runningAdmin = esxi.runningDatastore().resolve("Admin");
        List<String> paths = List.of(folder.toString(), runningAdmin.toString(), esxi.backupTarget().toString(),
                esxi.backupTarget() + "/../datastore1/Admin");
        // The lab's log outlives a test (and a run): a restore elsewhere rightly removes a running VM's folder.
        Instant since = Instant.now();

        var answer = delete(host, paths);

        assertEquals(List.of(folder.toString()), answer.deleted());
        assertEquals(3, answer.failures().size(), answer.failures().toString());
        assertTrue(answer.failures().get(0).startsWith("'" + runningAdmin + "': refused: "), answer.failures().get(0));
        assertTrue(answer.failures().get(0).contains("not inside the backup target"), answer.failures().get(0));
        assertFalse(Files.exists(folder));
        assertTrue(Files.isRegularFile(runningAdmin.resolve("Admin.vmx")));
        assertTrue(Files.isRegularFile(runningAdmin.resolve("Admin-flat.vmdk")));
        assertTrue(Files.isDirectory(esxi.backupTarget()));
        List<String> removals = esxi.actions().stream()
                .filter(a -> a.at().isAfter(since) && a.tool().equals("ssh") && a.action().equals("EXEC"))
                .map(LabFixture::sent).filter(c -> c.startsWith("rm ")).toList();
        assertEquals("rm -rf -- '" + folder + "'", removals.get(removals.size() - 1));
        assertTrue(removals.stream().noneMatch(c -> c.contains("datastore1")), removals.toString());
    }

    @Test
    void deletesAVzdumpArchiveOnKvmAndLeavesTheRunningDiskInPlace() {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        Path archive = Path.of(backUp(host, new BackupTarget(NodeRole.ADMIN, "Admin_node", 33)));
        Path disk = kvm.runningDatastore().resolve("Admin_node.qcow2");
        assertTrue(Files.isRegularFile(archive) && Files.isRegularFile(disk));

        var answer = delete(host, List.of(archive.toString(), disk.toString()));

        assertEquals(List.of(archive.toString()), answer.deleted());
        assertEquals(1, answer.failures().size());
        assertFalse(Files.exists(archive));
        assertTrue(Files.isRegularFile(disk));
        given().get("/executions/" + answer.requestId()).then().statusCode(200)
                .body("kind", equalTo("DELETE")).body("state", equalTo("FINISHED"))
                .body("command.artifactPaths[0]", equalTo(archive.toString()));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static UUID discover(String host) {
        UUID discovery = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, CloudEventCodec.encode(CloudEvent.of("/inventory-service",
                EventTypes.DISCOVER_VMS, discovery.toString(), new DiscoverVms(discovery, host), Instant.now())));
        return discovery;
    }

    /** Backs one VM up, as the scheduler would, and returns its artifact. */
    static String backUp(String host, BackupTarget target) {
        UUID run = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, CloudEventCodec.encode(CloudEvent.of("/scheduler-service",
                EventTypes.START_BACKUP, run.toString(),
                new StartBackup(run, host, BackupScope.ADMIN, List.of(target)), Instant.now())));
        return awaitAnswer(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class).artifactPath();
    }

    static ArtifactsDeleted delete(String host, List<String> paths) {
        UUID request = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, CloudEventCodec.encode(CloudEvent.of("/scheduler-service",
                EventTypes.DELETE_ARTIFACTS, request.toString(), new DeleteArtifacts(request, host, paths),
                Instant.now())));
        return awaitAnswer(request, EventTypes.ARTIFACTS_DELETED, ArtifactsDeleted.class);
    }

    /** The first answer about {@code subject} that is not a backup's start; it must be of {@code type}. */
    static <T extends Record> T awaitAnswer(UUID subject, String type, Class<T> data) {
        var record = kafka.awaitRecord(Topics.EXECUTOR_EVENTS,
                r -> isFor(r, subject) && !type(r).equals(EventTypes.NODE_BACKUP_STARTED), Duration.ofSeconds(60));
        var event = ReceivedRecords.cloudEvent(record);
        assertEquals(type, event.type(), () -> "answer was " + record.value());
        return CloudEventCodec.data(event, data);
    }

    static Map<String, DiscoveredVm> byName(List<DiscoveredVm> vms) {
        return vms.stream().collect(Collectors.toMap(DiscoveredVm::name, Function.identity()));
    }
}

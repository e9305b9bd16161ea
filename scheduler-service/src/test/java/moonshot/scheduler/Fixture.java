package moonshot.scheduler;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
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
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.messaging.ReceivedRecords;
import moonshot.knownhosts.KnownHostRepository;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Plays inventory, the executor and power-service against the scheduler, through the real broker. */
final class Fixture {

    static final KafkaProbe KAFKA = new KafkaProbe(InfrastructureTestResource.infrastructure().kafkaBootstrapServers());

    private Fixture() {
    }

    /** Publishes a host as inventory would and waits until the scheduler knows it. */
    static String announceHost(KnownHostRepository hosts) {
        String host = "mh-" + UUID.randomUUID().toString().substring(0, 8);
        publishHost(host);
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> hosts.findActive(host).isPresent()));
        return host;
    }

    /** Publishes {@code host} (an ESXi host) as inventory would, without waiting for the scheduler to apply it. */
    static void publishHost(String host) {
        var changed = new ManagementHostChanged(UUID.randomUUID(), host,
                new HypervisorConnection("esxi-1", HypervisorKind.ESXI, Dialect.XSIBACKUP_CLASSIC, "127.0.0.1", 22,
                        "root", "id_lab", "SHA256:" + "A".repeat(43), "/vmfs/volumes/backup",
                        "/vmfs/volumes/datastore1"),
                List.of(new NodeSnapshot(NodeRole.ADMIN, "Admin", null, List.of()),
                        new NodeSnapshot(NodeRole.CONTROLLER, "Ctrl", null, List.of()),
                        new NodeSnapshot(NodeRole.BAREMETAL, "Bm", null, List.of())),
                false);
        publish(Topics.INVENTORY_EVENTS, host, EventTypes.MANAGEMENT_HOST_CHANGED, changed);
    }

    /** A KVM host as inventory would announce it: VMs by name, restored under their vzdump VMIDs 33, 34, 35. */
    static String announceKvmHost(KnownHostRepository hosts) {
        String host = "mh-kvm-" + UUID.randomUUID().toString().substring(0, 8);
        var changed = new ManagementHostChanged(UUID.randomUUID(), host,
                new HypervisorConnection("kvm-1", HypervisorKind.KVM, Dialect.VZDUMP, "127.0.0.1", 22, "root",
                        "id_lab", "SHA256:" + "B".repeat(43), "/var/lib/vz/dump", "/var/lib/libvirt/images"),
                List.of(new NodeSnapshot(NodeRole.ADMIN, "Admin_node", 33, List.of()),
                        new NodeSnapshot(NodeRole.CONTROLLER, "Controller", 34, List.of()),
                        new NodeSnapshot(NodeRole.BAREMETAL, "Compute", 35, List.of())),
                false);
        publish(Topics.INVENTORY_EVENTS, host, EventTypes.MANAGEMENT_HOST_CHANGED, changed);
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> hosts.findActive(host).isPresent()));
        return host;
    }

    /** Asks for a backup over REST and has the executor finish it (every node succeeded, or {@code failedRole}). */
    static String backup(String host, String scope, NodeRole failedRole) {
        String runId = given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"managementHost\":\"" + host + "\",\"scope\":\"" + scope + "\"}")
                .post("/backups").then().statusCode(202).extract().path("id");
        finishRun(runId, failedRole, failedRole == null ? null : "exited 1: ERROR: No space left on device");
        return runId;
    }

    // --- playing power-service: StartPowerSequence on power.commands, answered on power.events

    /** The next StartPowerSequence for {@code host} in {@code direction} not among {@code seen}. */
    static StartPowerSequence awaitPowerSequence(String host, PowerDirection direction, Set<UUID> seen) {
        var record = KAFKA.awaitRecord(Topics.POWER_COMMANDS, r -> {
            if (!host.equals(r.key())) {
                return false;
            }
            CloudEvent event = ReceivedRecords.cloudEvent(r);
            if (!EventTypes.START_POWER_SEQUENCE.equals(event.type())) {
                return false;
            }
            var command = CloudEventCodec.data(event, StartPowerSequence.class);
            return command.direction() == direction && !seen.contains(command.sequenceId());
        }, Duration.ofSeconds(30));
        return CloudEventCodec.data(ReceivedRecords.cloudEvent(record), StartPowerSequence.class);
    }

    /**
     * Every StartPowerSequence sent for {@code host} up to power.commands' end as of now: call it after awaiting a
     * command sent later for the host (the same key, so the same partition), to count what was sent before it.
     */
    static List<StartPowerSequence> powerSequencesSent(String host) {
        return KAFKA.recordsToEnd(Topics.POWER_COMMANDS, r -> host.equals(r.key())).stream()
                .map(r -> CloudEventCodec.data(ReceivedRecords.cloudEvent(r), StartPowerSequence.class)).toList();
    }

    static void powerSequenceFinished(StartPowerSequence command) {
        publish(Topics.POWER_EVENTS, command.managementHost(), EventTypes.POWER_SEQUENCE_FINISHED,
                new PowerSequenceFinished(command.sequenceId(), command.managementHost(), command.direction()));
    }

    static void powerSequenceFailed(StartPowerSequence command, String step, String reason) {
        publish(Topics.POWER_EVENTS, command.managementHost(), EventTypes.POWER_SEQUENCE_FAILED,
                new PowerSequenceFailed(command.sequenceId(), command.managementHost(), command.direction(), step,
                        reason));
    }

    // --- playing the executor's restores: RestoreNode on executor.commands, answered on executor.events

    /** The next RestoreNode of {@code role} for {@code host} not among {@code seen}. */
    static RestoreNode awaitRestoreNode(String host, NodeRole role, Set<UUID> seen) {
        var record = KAFKA.awaitRecord(Topics.EXECUTOR_COMMANDS, r -> {
            if (!host.equals(r.key())) {
                return false;
            }
            CloudEvent event = ReceivedRecords.cloudEvent(r);
            if (!EventTypes.RESTORE_NODE.equals(event.type())) {
                return false;
            }
            var command = CloudEventCodec.data(event, RestoreNode.class);
            return command.role() == role && !seen.contains(command.commandId());
        }, Duration.ofSeconds(30));
        return CloudEventCodec.data(ReceivedRecords.cloudEvent(record), RestoreNode.class);
    }

    /** Every RestoreNode sent for {@code host} up to executor.commands' end as of now (see powerSequencesSent). */
    static List<RestoreNode> restoresSent(String host) {
        return KAFKA.recordsToEnd(Topics.EXECUTOR_COMMANDS, r -> host.equals(r.key())
                        && EventTypes.RESTORE_NODE.equals(ReceivedRecords.cloudEvent(r).type()))
                .stream().map(r -> CloudEventCodec.data(ReceivedRecords.cloudEvent(r), RestoreNode.class)).toList();
    }

    /** The executor restored and verified the VM: same name, the VMID asked for (if any), the expected MACs. */
    static void nodeRestored(RestoreNode command) {
        nodeRestoredAs(command, command.vzdumpVmid() == null ? "7" : command.vzdumpVmid().toString(),
                command.expectedMacs());
    }

    /**
     * The executor restored the VM under its name but reports the VM id and MACs it found, which need not be what the
     * command expected (a restore the scheduler must not take for a success).
     */
    static void nodeRestoredAs(RestoreNode command, String vmId, List<String> macs) {
        publish(Topics.EXECUTOR_EVENTS, command.managementHost(), EventTypes.NODE_RESTORED, new NodeRestored(
                command.commandId(), command.restoreId(), command.managementHost(), command.role(), command.vmName(),
                vmId, macs));
    }

    static void nodeRestoreFailed(RestoreNode command, String reason) {
        publish(Topics.EXECUTOR_EVENTS, command.managementHost(), EventTypes.NODE_RESTORE_FAILED,
                new NodeRestoreFailed(command.commandId(), command.restoreId(), command.managementHost(),
                        command.role(), command.vmName(), reason));
    }

    /** Reports every node of the run succeeded (or the named role failed with {@code failure}), as the executor would. */
    static void finishRun(String runId, NodeRole failedRole, String failure) {
        JsonPath run = given().get("/backups/" + runId).then().statusCode(200).extract().jsonPath();
        String host = run.getString("managementHost");
        Instant t0 = Instant.now();
        for (Map<String, Object> node : run.<Map<String, Object>>getList("nodes")) {
            NodeRole role = NodeRole.valueOf((String) node.get("role"));
            String vm = (String) node.get("vmName");
            if (role == failedRole) {
                publish(Topics.EXECUTOR_EVENTS, host, EventTypes.NODE_BACKUP_FAILED, new NodeBackupFailed(
                        UUID.fromString(runId), host, role, vm, failure, t0, t0.plusSeconds(1)));
            } else {
                publish(Topics.EXECUTOR_EVENTS, host, EventTypes.NODE_BACKUP_SUCCEEDED, new NodeBackupSucceeded(
                        UUID.fromString(runId), host, role, vm, "/vmfs/volumes/backup/" + runId + "/" + vm, 1024,
                        "ef".repeat(32), t0, t0.plusMillis(role == NodeRole.BAREMETAL ? 30 : 0),
                        t0.plusMillis(role == NodeRole.BAREMETAL ? 50 : 20), "test witness", t0.plusSeconds(1),
                        List.of("00:50:56:aa:00:0" + role.ordinal()), "displayName = \"" + vm + "\"", null));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !given().get("/backups/" + runId).path("state").toString().matches("QUEUED|RUNNING"));
    }

    static void publish(String topic, String key, String type, Object data) {
        KAFKA.send(topic, key, CloudEventCodec.encode(CloudEvent.of("/test", type, key, data, Instant.now())),
                Map.of("content-type", "application/cloudevents+json"));
    }
}

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
import moonshot.contract.NodeSnapshot;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.scheduler.repository.KnownHostRepository;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Plays inventory and the executor against the scheduler, through the real broker. */
final class Fixture {

    static final KafkaProbe KAFKA = new KafkaProbe(InfrastructureTestResource.infrastructure().kafkaBootstrapServers());

    private Fixture() {
    }

    /** Publishes a host as inventory would and waits until the scheduler knows it. */
    static String announceHost(KnownHostRepository hosts) {
        String host = "mh-" + UUID.randomUUID().toString().substring(0, 8);
        var changed = new ManagementHostChanged(UUID.randomUUID(), host,
                new HypervisorConnection("esxi-1", HypervisorKind.ESXI, Dialect.XSIBACKUP_CLASSIC, "127.0.0.1", 22,
                        "root", "id_lab", "SHA256:" + "A".repeat(43), "/vmfs/volumes/backup",
                        "/vmfs/volumes/datastore1"),
                List.of(new NodeSnapshot(NodeRole.ADMIN, "Admin", null, List.of()),
                        new NodeSnapshot(NodeRole.CONTROLLER, "Ctrl", null, List.of()),
                        new NodeSnapshot(NodeRole.BAREMETAL, "Bm", null, List.of())),
                false);
        publish(Topics.INVENTORY_EVENTS, host, EventTypes.MANAGEMENT_HOST_CHANGED, changed);
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> hosts.findActive(host).isPresent()));
        return host;
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
                        "ef".repeat(32), t0, t0.plusMillis(role == NodeRole.BAREMETAL ? 30 : 0), t0.plusSeconds(1),
                        List.of("00:50:56:aa:00:0" + role.ordinal()), "displayName = \"" + vm + "\""));
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

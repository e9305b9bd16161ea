package moonshot.inventory;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.DiscoverVms;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.EventTypes;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeRole;
import moonshot.contract.Topics;
import moonshot.contract.VmsDiscovered;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.messaging.ReceivedRecords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery: the REST API, the DiscoverVms it sends, and the executor's answers arriving on the real broker. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "inventory"))
class DiscoveryApiTest {

    static final String ADMIN_VMX = """
            displayName = "Admin"
            ethernet0.addressType = "generated"
            ethernet0.generatedAddress = "00:50:56:a1:00:09"
            """;
    static final String CTRL_VMX = """
            displayName = "Ctrl"
            ethernet0.addressType = "generated"
            ethernet0.generatedAddress = "00:50:56:A1:00:02"
            """;

    static KafkaProbe kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaProbe(InfrastructureTestResource.infrastructure().kafkaBootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void requestsADiscoveryAndSendsDiscoverVmsToTheExecutor() {
        String mh = registerHost();

        var response = given().when().post("/management-hosts/" + mh + "/discovery")
                .then().statusCode(202)
                .body("state", equalTo("REQUESTED")).body("managementHost", equalTo(mh))
                .extract();
        String id = response.path("id");
        assertTrue(response.header("Location").endsWith("/management-hosts/" + mh + "/discovery/" + id),
                response.header("Location"));

        var command = kafka.awaitRecord(Topics.EXECUTOR_COMMANDS, r -> mh.equals(r.key())
                && EventTypes.DISCOVER_VMS.equals(ReceivedRecords.cloudEvent(r).type()), Duration.ofSeconds(30));
        assertEquals(new DiscoverVms(UUID.fromString(id), mh),
                CloudEventCodec.data(ReceivedRecords.cloudEvent(command), DiscoverVms.class));
        given().get("/management-hosts/" + mh + "/discovery").then().statusCode(200).body("id", equalTo(id));
        given().get("/management-hosts/" + mh + "/discovery/" + id).then().statusCode(200)
                .body("state", equalTo("REQUESTED")).body("nodes", empty());
    }

    @Test
    void recordsWhatTheHypervisorShowsAndReportsDifferencesInsteadOfOverwriting() {
        String mh = registerHost();
        String id = requestDiscovery(mh);

        answer(mh, EventTypes.VMS_DISCOVERED, new VmsDiscovered(UUID.fromString(id), mh, List.of(
                new DiscoveredVm("Admin", "1", "ON", List.of("00:50:56:a1:00:09"), ADMIN_VMX),
                new DiscoveredVm("Ctrl", "2", "OFF", List.of("00:50:56:A1:00:02"), CTRL_VMX),
                new DiscoveredVm("vCenter", "7", "ON", List.of(), null))));

        awaitState(mh, id, "COMPLETED");
        given().get("/management-hosts/" + mh + "/discovery/" + id).then().statusCode(200)
                .body("differences", hasSize(2))
                .body("differences.find { it.node == 'ADMIN' }.field", equalTo("macs"))
                .body("differences.find { it.node == 'ADMIN' }.inventory", contains("00:50:56:aa:00:01"))
                .body("differences.find { it.node == 'ADMIN' }.hypervisor", contains("00:50:56:a1:00:09"))
                .body("differences.find { it.node == 'BAREMETAL' }.field", equalTo("vm"))
                .body("differences.find { it.node == 'BAREMETAL' }.problem", equalTo("not found on hypervisor"))
                .body("nodes.find { it.role == 'CONTROLLER' }.found", equalTo(true))
                .body("nodes.find { it.role == 'CONTROLLER' }.vmId", equalTo("2"))
                .body("nodes.find { it.role == 'CONTROLLER' }.macsCaptured", equalTo(true))
                .body("nodes.find { it.role == 'CONTROLLER' }.configCaptured", equalTo(true))
                .body("nodes.find { it.role == 'BAREMETAL' }.found", equalTo(false))
                .body("otherVms.name", contains("vCenter"));
        // Inventory keeps its own ADMIN MACs, takes CONTROLLER's first capture, and mirrors the power states.
        given().get("/management-hosts/" + mh).then().statusCode(200)
                .body("nodes.find { it.role == 'ADMIN' }.macs", contains("00:50:56:aa:00:01"))
                .body("nodes.find { it.role == 'ADMIN' }.powerState", equalTo("ON"))
                .body("nodes.find { it.role == 'CONTROLLER' }.macs", contains("00:50:56:a1:00:02"))
                .body("nodes.find { it.role == 'CONTROLLER' }.powerState", equalTo("OFF"))
                .body("nodes.find { it.role == 'BAREMETAL' }.macs", empty())
                .body("nodes.find { it.role == 'BAREMETAL' }.powerState", equalTo("UNKNOWN"));
        given().get("/management-hosts/" + mh + "/nodes/controller/config").then().statusCode(200)
                .body("config", equalTo(CTRL_VMX)).body("format", equalTo("vmx"))
                .body("discoveryId", equalTo(id)).body("vmName", equalTo("Ctrl"));
        given().get("/management-hosts/" + mh + "/nodes/BAREMETAL/config").then().statusCode(404)
                .body("message", containsString("request a discovery"));
        // The captured MACs are announced, so the executor's and scheduler's copies have them too.
        var changed = kafka.awaitRecord(Topics.INVENTORY_EVENTS, r -> mh.equals(r.key()) && CloudEventCodec
                .data(ReceivedRecords.cloudEvent(r), ManagementHostChanged.class).nodes().stream()
                .anyMatch(n -> n.role() == NodeRole.CONTROLLER && !n.macs().isEmpty()), Duration.ofSeconds(30));
        assertTrue(changed.value().contains("00:50:56:a1:00:02"));
    }

    @Test
    void aRedeliveredAnswerHasNoSecondEffect() {
        String mh = registerHost();
        String id = requestDiscovery(mh);
        var discovered = CloudEvent.of("/executor-service", EventTypes.VMS_DISCOVERED, id,
                new VmsDiscovered(UUID.fromString(id), mh, List.of(
                        new DiscoveredVm("Ctrl", "2", "ON", List.of("00:50:56:a1:00:02"), CTRL_VMX))), Instant.now());
        kafka.send(Topics.EXECUTOR_EVENTS, mh, CloudEventCodec.encode(discovered));
        awaitState(mh, id, "COMPLETED");
        given().get("/management-hosts/" + mh).then()
                .body("nodes.find { it.role == 'CONTROLLER' }.macs", contains("00:50:56:a1:00:02"));

        // An operator clears CONTROLLER's MACs; then the same answer arrives again, then a later discovery's.
        given().contentType(ContentType.JSON).body(InventoryApiTest.host(mh, hypervisorOf(mh), NODES))
                .put("/management-hosts/" + mh).then().statusCode(200);
        kafka.send(Topics.EXECUTOR_EVENTS, mh, CloudEventCodec.encode(discovered));
        String later = requestDiscovery(mh);
        answer(mh, EventTypes.VMS_DISCOVERED, new VmsDiscovered(UUID.fromString(later), mh, List.of()));

        awaitState(mh, later, "COMPLETED");
        given().get("/management-hosts/" + mh).then()
                .body("nodes.find { it.role == 'CONTROLLER' }.macs", empty());
        given().get("/management-hosts/" + mh + "/discovery/" + id).then().body("differences", hasSize(2));
    }

    @Test
    void recordsAFailedDiscoveryWithTheExecutorsReason() {
        String mh = registerHost();
        String id = requestDiscovery(mh);

        answer(mh, EventTypes.DISCOVERY_FAILED, new DiscoveryFailed(UUID.fromString(id), mh,
                "cannot connect to hypervisor esxi-01 (root@127.0.0.1:2222): Connection refused"));

        awaitState(mh, id, "FAILED");
        given().get("/management-hosts/" + mh + "/discovery").then()
                .body("reason", containsString("Connection refused")).body("finishedAt", not(nullValue()));
    }

    @Test
    void passesOverBackupEventsOnTheSharedTopicAndDeadLettersUnusableRecords() {
        String mh = registerHost();
        String backupEventId = UUID.randomUUID().toString();
        kafka.send(Topics.EXECUTOR_EVENTS, mh, """
                {"specversion":"1.0","id":"%s","source":"/executor-service","type":"%s","subject":"%s",
                 "data":{"runId":"%3$s","managementHost":"%s","role":"ADMIN","vmName":"Admin",
                         "artifactPath":"/vmfs/volumes/backup/20261127220000/Admin"}}""".formatted(backupEventId,
                EventTypes.NODE_BACKUP_SUCCEEDED, UUID.randomUUID(), mh));
        String garbage = "not an event " + UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_EVENTS, mh, garbage);
        String id = requestDiscovery(mh);
        answer(mh, EventTypes.VMS_DISCOVERED, new VmsDiscovered(UUID.fromString(id), mh, List.of()));

        awaitState(mh, id, "COMPLETED");
        var dead = kafka.awaitRecord(Topics.deadLetter(Topics.EXECUTOR_EVENTS), r -> garbage.equals(r.value()),
                Duration.ofSeconds(30));
        assertTrue(KafkaProbe.header(dead, "dead-letter-reason").contains("not JSON"),
                KafkaProbe.header(dead, "dead-letter-reason"));
        // the backup event came before the garbage on the same key: it was passed over before the garbage failed
        assertEquals(List.of(), kafka.recordsToEnd(Topics.deadLetter(Topics.EXECUTOR_EVENTS),
                r -> r.value() != null && r.value().contains(backupEventId)));
    }

    @Test
    void unknownHostsAndDiscoveriesAre404() {
        given().post("/management-hosts/nope/discovery").then().statusCode(404)
                .body("message", equalTo("no management host 'nope'"));
        String mh = registerHost();
        given().get("/management-hosts/" + mh + "/discovery").then().statusCode(404)
                .body("message", containsString("no discovery yet"));
        given().get("/management-hosts/" + mh + "/discovery/not-an-id").then().statusCode(404);
        given().get("/management-hosts/" + mh + "/discovery/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/management-hosts/" + mh + "/nodes/STORAGE/config").then().statusCode(400)
                .body("field", equalTo("role"));
        given().get("/management-hosts/" + mh).then().statusCode(200).body("name", equalTo(mh));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static final String NODES = """
            {"role":"ADMIN","vmName":"Admin","macs":["00:50:56:aa:00:01"]},
            {"role":"CONTROLLER","vmName":"Ctrl"},{"role":"BAREMETAL","vmName":"Bm"}""";

    static String registerHost() {
        String hv = InventoryApiTest.unique("esxi");
        given().contentType(ContentType.JSON).body(InventoryApiTest.hypervisor(hv, "ESXI", "xsibackup-classic"))
                .post("/hypervisors").then().statusCode(201);
        String mh = InventoryApiTest.unique("mh");
        given().contentType(ContentType.JSON).body(InventoryApiTest.host(mh, hv, NODES)).post("/management-hosts")
                .then().statusCode(201);
        return mh;
    }

    static String hypervisorOf(String mh) {
        return given().get("/management-hosts/" + mh).then().extract().path("hypervisor");
    }

    static String requestDiscovery(String mh) {
        return given().post("/management-hosts/" + mh + "/discovery").then().statusCode(202).extract().path("id");
    }

    /** Publishes the executor's answer as the executor would: on executor.events, keyed by the management host. */
    static void answer(String mh, String type, Record data) {
        kafka.send(Topics.EXECUTOR_EVENTS, mh, CloudEventCodec.encode(CloudEvent.of("/executor-service", type,
                null, data, Instant.now())));
    }

    static void awaitState(String mh, String id, String state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> state.equals(
                given().get("/management-hosts/" + mh + "/discovery/" + id).then().extract().path("state")));
    }
}

package moonshot.inventory;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeRole;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.messaging.ReceivedRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "inventory"))
class InventoryApiTest {

    static final String FINGERPRINT = "SHA256:" + "A".repeat(43);

    static String hypervisor(String name, String kind, String dialect) {
        return """
                {"name":"%s","kind":"%s","dialect":"%s","address":"127.0.0.1","port":2222,"user":"root",
                 "keyFile":"id_lab","hostKeyFingerprint":"%s","backupTarget":"/vmfs/volumes/backup",
                 "runningDatastore":"/vmfs/volumes/datastore1"}""".formatted(name, kind, dialect, FINGERPRINT);
    }

    static String host(String name, String hypervisor, String nodes) {
        return """
                {"name":"%s","hypervisor":"%s","nodes":[%s]}""".formatted(name, hypervisor, nodes);
    }

    static final String THREE_NODES = """
            {"role":"ADMIN","vmName":"Admin","macs":["00:50:56:AA:00:01"]},
            {"role":"CONTROLLER","vmName":"Ctrl"},{"role":"BAREMETAL","vmName":"Bm"}""";

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void registersAHostWithItsThreeNodesAndFindsItByNameOrId() {
        String hv = unique("esxi");
        given().contentType(ContentType.JSON).body(hypervisor(hv, "ESXI", "xsibackup-classic"))
                .when().post("/hypervisors")
                .then().statusCode(201).body("dialect", equalTo("xsibackup-classic"));
        String mh = unique("mh");
        String id = given().contentType(ContentType.JSON).body(host(mh, hv, THREE_NODES))
                .when().post("/management-hosts")
                .then().statusCode(201)
                .body("nodes.role", hasItems("ADMIN", "CONTROLLER", "BAREMETAL"))
                .extract().path("id");

        given().when().get("/management-hosts/" + mh).then().statusCode(200).body("id", equalTo(id))
                .body("nodes.find { it.role == 'ADMIN' }.macs[0]", equalTo("00:50:56:aa:00:01"));
        given().when().get("/management-hosts/" + id).then().statusCode(200).body("name", equalTo(mh));
        given().when().get("/hypervisors/" + hv).then().statusCode(200).body("kind", equalTo("ESXI"));
    }

    @Test
    void refusesAnUnknownRoleNamingTheField() {
        String hv = registerEsxi();
        given().contentType(ContentType.JSON).body(host(unique("mh"), hv, """
                        {"role":"ADMIN","vmName":"Admin"},{"role":"STORAGE","vmName":"S"},{"role":"BAREMETAL","vmName":"Bm"}"""))
                .when().post("/management-hosts")
                .then().statusCode(400).body("field", equalTo("nodes[1].role"))
                .body("message", containsString("ADMIN, CONTROLLER or BAREMETAL"));
    }

    @Test
    void refusesAHostWithANodeMissing() {
        String hv = registerEsxi();
        given().contentType(ContentType.JSON).body(host(unique("mh"), hv, """
                        {"role":"ADMIN","vmName":"Admin"},{"role":"CONTROLLER","vmName":"Ctrl"}"""))
                .when().post("/management-hosts")
                .then().statusCode(400).body("field", equalTo("nodes"))
                .body("message", containsString("BAREMETAL"));
    }

    @Test
    void refusesADuplicateName() {
        String hv = registerEsxi();
        String mh = unique("mh");
        given().contentType(ContentType.JSON).body(host(mh, hv, THREE_NODES)).post("/management-hosts")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(host(mh, hv, THREE_NODES))
                .when().post("/management-hosts")
                .then().statusCode(400).body("field", equalTo("name")).body("message", containsString("already exists"));
        given().contentType(ContentType.JSON).body(hypervisor(hv, "ESXI", "xsibackup-classic"))
                .when().post("/hypervisors")
                .then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void refusesAVmNameThatCouldEscapeIntoAShell() {
        String hv = registerEsxi();
        given().contentType(ContentType.JSON).body(host(unique("mh"), hv, """
                        {"role":"ADMIN","vmName":"Admin; rm -rf /"},{"role":"CONTROLLER","vmName":"Ctrl"},
                        {"role":"BAREMETAL","vmName":"Bm"}"""))
                .when().post("/management-hosts")
                .then().statusCode(400).body("field", equalTo("nodes[0].vmName"))
                .body("$", not(hasKeyStackTrace()));
    }

    @Test
    void refusesAVzdumpHostWithoutVmids() {
        String hv = unique("kvm");
        given().contentType(ContentType.JSON).body(hypervisor(hv, "KVM", "vzdump")).post("/hypervisors")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(host(unique("mh"), hv, """
                        {"role":"ADMIN","vmName":"Admin_node","vzdumpVmid":33},{"role":"CONTROLLER","vmName":"Controller"},
                        {"role":"BAREMETAL","vmName":"Compute","vzdumpVmid":35}"""))
                .when().post("/management-hosts")
                .then().statusCode(400).body("field", equalTo("nodes[1].vzdumpVmid"));
    }

    @Test
    void refusesADialectOfTheOtherKindAndABadFingerprint() {
        given().contentType(ContentType.JSON).body(hypervisor(unique("kvm"), "KVM", "xsibackup-classic"))
                .when().post("/hypervisors")
                .then().statusCode(400).body("field", equalTo("dialect"));
        given().contentType(ContentType.JSON)
                .body(hypervisor(unique("kvm"), "KVM", "vzdump").replace(FINGERPRINT, "md5:aa:bb"))
                .when().post("/hypervisors")
                .then().statusCode(400).body("field", equalTo("hostKeyFingerprint"));
    }

    @Test
    void unknownHostIsA404WithAReadableMessage() {
        given().when().get("/management-hosts/nope").then().statusCode(404)
                .body("message", equalTo("no management host 'nope'"));
    }

    @Test
    void announcesTheRegisteredHostOnTheInventoryTopic() {
        String hv = registerEsxi();
        String mh = unique("mh");
        given().contentType(ContentType.JSON).body(host(mh, hv, THREE_NODES)).post("/management-hosts")
                .then().statusCode(201);

        try (var consumer = consumer()) {
            consumer.subscribe(List.of(Topics.INVENTORY_EVENTS));
            List<ManagementHostChanged> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    var event = ReceivedRecords.cloudEvent(record);
                    if (EventTypes.MANAGEMENT_HOST_CHANGED.equals(event.type()) && mh.equals(record.key())) {
                        seen.add(CloudEventCodec.data(event, ManagementHostChanged.class));
                    }
                }
                return !seen.isEmpty();
            });
            var changed = seen.get(0);
            assertEquals(hv, changed.hypervisor().name());
            assertEquals("id_lab", changed.hypervisor().keyFile());
            assertEquals("Ctrl", changed.nodes().stream().filter(n -> n.role() == NodeRole.CONTROLLER)
                    .findFirst().orElseThrow().vmName());
        }
    }

    @Test
    void keepsAnOptionalReadinessProbePerNodeShowsItAndAnnouncesItRefusingAnythingButHttpOrTcp() {
        String hv = registerEsxi();
        String mh = unique("mh");
        given().contentType(ContentType.JSON).body(host(mh, hv, """
                        {"role":"ADMIN","vmName":"Admin","readinessProbe":"https://10.0.0.5:8443/ready"},
                        {"role":"CONTROLLER","vmName":"Ctrl","readinessProbe":"tcp://ctrl.example:5000"},
                        {"role":"BAREMETAL","vmName":"Bm"}"""))
                .when().post("/management-hosts")
                .then().statusCode(201)
                .body("nodes.find { it.role == 'CONTROLLER' }.readinessProbe", equalTo("tcp://ctrl.example:5000"));
        given().get("/management-hosts/" + mh).then().statusCode(200)
                .body("nodes.find { it.role == 'ADMIN' }.readinessProbe", equalTo("https://10.0.0.5:8443/ready"))
                .body("nodes.find { it.role == 'BAREMETAL' }.readinessProbe", org.hamcrest.Matchers.nullValue());

        try (var consumer = consumer()) {
            consumer.subscribe(List.of(Topics.INVENTORY_EVENTS));
            List<ManagementHostChanged> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (mh.equals(record.key())) {
                        seen.add(CloudEventCodec.data(ReceivedRecords.cloudEvent(record), ManagementHostChanged.class));
                    }
                }
                return !seen.isEmpty();
            });
            assertEquals("tcp://ctrl.example:5000", seen.get(0).nodes().stream()
                    .filter(n -> n.role() == NodeRole.CONTROLLER).findFirst().orElseThrow().readinessProbe());
        }

        for (String bad : List.of("ftp://ctrl/ready", "tcp://ctrl", "tcp://ctrl:99999", "http://", "ready")) {
            given().contentType(ContentType.JSON).body(host(unique("mh"), hv, """
                            {"role":"ADMIN","vmName":"Admin"},{"role":"CONTROLLER","vmName":"Ctrl","readinessProbe":"%s"},
                            {"role":"BAREMETAL","vmName":"Bm"}""".formatted(bad)))
                    .when().post("/management-hosts")
                    .then().statusCode(400).body("field", equalTo("nodes[1].readinessProbe"));
        }
    }

    @Test
    void servesHealthMetricsAndOpenApi() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka broker"));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("http_server"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/management-hosts"));
    }

    private static org.hamcrest.Matcher<Object> hasKeyStackTrace() {
        return org.hamcrest.Matchers.hasToString(containsString("at moonshot."));
    }

    private String registerEsxi() {
        String hv = unique("esxi");
        given().contentType(ContentType.JSON).body(hypervisor(hv, "ESXI", "xsibackup-classic")).post("/hypervisors")
                .then().statusCode(201);
        return hv;
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                InfrastructureTestResource.infrastructure().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }
}

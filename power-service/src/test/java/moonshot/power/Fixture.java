package moonshot.power;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.NodeStatus;
import moonshot.contract.PowerAction;
import moonshot.contract.PowerNode;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.messaging.ReceivedRecords;
import moonshot.knownhosts.KnownHostRepository;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Plays inventory, the executor and the dashboard against power-service, through the real broker. */
final class Fixture {

    static final KafkaProbe KAFKA = new KafkaProbe(InfrastructureTestResource.infrastructure().kafkaBootstrapServers());
    static final Duration WAIT = Duration.ofSeconds(45);

    private Fixture() {
    }

    /** Publishes a host (VMs Admin, Ctrl, Bm) as inventory would and waits until power-service knows it. */
    static String announceHost(KnownHostRepository hosts, String controllerProbe, String baremetalProbe) {
        String host = "mh-" + UUID.randomUUID().toString().substring(0, 8);
        hostChanged(host, controllerProbe, baremetalProbe, false);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> hosts.findActive(host).isPresent()));
        return host;
    }

    /** Publishes the removal of {@code host}, as inventory does when it is deleted, and waits until it is applied. */
    static void removeHost(KnownHostRepository hosts, String host) {
        hostChanged(host, null, null, true);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> hosts.findByIdOptional(host).map(h -> h.removed).orElse(false)));
    }

    private static void hostChanged(String host, String controllerProbe, String baremetalProbe, boolean removed) {
        var changed = new ManagementHostChanged(UUID.randomUUID(), host,
                new HypervisorConnection("esxi-" + host, HypervisorKind.ESXI, Dialect.XSIBACKUP_CLASSIC,
                        "127.0.0.1", 22, "root", "id_lab", "SHA256:" + "A".repeat(43), "/vmfs/volumes/backup",
                        "/vmfs/volumes/datastore1"),
                List.of(new NodeSnapshot(NodeRole.ADMIN, "Admin", null, List.of()),
                        new NodeSnapshot(NodeRole.CONTROLLER, "Ctrl", null, List.of(), controllerProbe),
                        new NodeSnapshot(NodeRole.BAREMETAL, "Bm", null, List.of(), baremetalProbe)),
                removed);
        publish(Topics.INVENTORY_EVENTS, host, EventTypes.MANAGEMENT_HOST_CHANGED, changed);
    }

    static String announceHost(KnownHostRepository hosts) {
        return announceHost(hosts, null, null);
    }

    /** POSTs a sequence and returns its id. */
    static String start(String host, String direction, boolean includeHypervisor) {
        return given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"" + host + "\",\"direction\":\"" + direction
                        + "\",\"includeHypervisor\":" + includeHypervisor + "}")
                .post("/power-sequences").then().statusCode(202).extract().path("id");
    }

    static JsonPath awaitState(String id, String state) {
        await().atMost(WAIT).until(() -> state.equals(given().get("/power-sequences/" + id).path("state")));
        return given().get("/power-sequences/" + id).then().extract().jsonPath();
    }

    static JsonPath sequence(String id) {
        return given().get("/power-sequences/" + id).then().statusCode(200).extract().jsonPath();
    }

    // --- the executor ----------------------------------------------------------------------------------------

    /** Reads executor.commands until power-service has sent {@code action} for {@code role} of {@code host}. */
    static PowerNode awaitPowerNode(String host, NodeRole role, PowerAction action) {
        return data(KAFKA.awaitRecord(Topics.EXECUTOR_COMMANDS, powerNode(host, role, action), WAIT), PowerNode.class);
    }

    /**
     * Every PowerNode sent for {@code host} (in the order sent) up to executor.commands' end as of now: call it after
     * awaiting a later command for the host (the same key, so the same partition), to count what was sent before it.
     */
    static List<PowerNode> powerNodes(String host) {
        return KAFKA.recordsToEnd(Topics.EXECUTOR_COMMANDS, powerNode(host, null, null)).stream()
                .map(r -> data(r, PowerNode.class)).toList();
    }

    static CheckHypervisor awaitCheck(String host, Predicate<CheckHypervisor> matching) {
        return data(KAFKA.awaitRecord(Topics.EXECUTOR_COMMANDS, r -> host.equals(r.key())
                && EventTypes.CHECK_HYPERVISOR.equals(type(r))
                && matching.test(data(r, CheckHypervisor.class)), WAIT), CheckHypervisor.class);
    }

    static void observed(PowerNode command, String powerState) {
        publish(Topics.EXECUTOR_EVENTS, command.managementHost(), EventTypes.NODE_POWER_OBSERVED,
                new NodePowerObserved(command.commandId(), command.sequenceId(), command.managementHost(),
                        command.role(), command.vmName(), powerState, Instant.now()));
    }

    static void checked(CheckHypervisor command, boolean reachable) {
        publish(Topics.EXECUTOR_EVENTS, command.managementHost(), EventTypes.HYPERVISOR_CHECKED,
                new HypervisorChecked(command.commandId(), command.sequenceId(), command.managementHost(), reachable,
                        reachable ? "SSH answered" : "connection refused"));
    }

    /** Answers the command ON or OFF as soon as it is sent, for each node of {@code order}. */
    static void confirmEach(String host, PowerAction action, String powerState, NodeRole... order) {
        for (NodeRole role : order) {
            observed(awaitPowerNode(host, role, action), powerState);
        }
    }

    // --- the dashboard -------------------------------------------------------------------------------------

    static void nodeStatus(String host, String vm, String state) {
        publish(Topics.NODE_STATUS, host, EventTypes.NODE_STATUS, new NodeStatus(host, vm, state));
    }

    // --- plumbing --------------------------------------------------------------------------------------------

    static void publish(String topic, String key, String type, Object data) {
        KAFKA.send(topic, key, CloudEventCodec.encode(CloudEvent.of("/test", type, key, data, Instant.now())),
                Map.of("content-type", "application/cloudevents+json"));
    }

    static String type(ConsumerRecord<String, String> record) {
        return ReceivedRecords.cloudEvent(record).type();
    }

    static <T extends Record> T data(ConsumerRecord<String, String> record, Class<T> type) {
        return CloudEventCodec.data(ReceivedRecords.cloudEvent(record), type);
    }

    private static Predicate<ConsumerRecord<String, String>> powerNode(String host, NodeRole role,
                                                                       PowerAction action) {
        return r -> {
            if (!host.equals(r.key()) || !EventTypes.POWER_NODE.equals(type(r))) {
                return false;
            }
            PowerNode command = data(r, PowerNode.class);
            return (role == null || command.role() == role) && (action == null || command.action() == action);
        };
    }
}

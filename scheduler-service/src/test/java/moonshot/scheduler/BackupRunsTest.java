package moonshot.scheduler;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import moonshot.contract.BackupScope;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.StartBackup;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.messaging.ReceivedRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import moonshot.knownhosts.KnownHostRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
class BackupRunsTest {

    static KafkaProbe kafka;

    @Inject
    KnownHostRepository hosts;

    @BeforeAll
    static void connect() {
        kafka = new KafkaProbe(InfrastructureTestResource.infrastructure().kafkaBootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void queuesARunAndSendsStartBackupToTheExecutorKeyedByHost() {
        String host = announceHost();
        String runId = requestBackup(host, "ADMIN").then().statusCode(202)
                .body("state", equalTo("QUEUED")).body("nodes[0].vmName", equalTo("Admin"))
                .extract().path("id");

        var record = kafka.awaitRecord(Topics.EXECUTOR_COMMANDS, r -> host.equals(r.key()), Duration.ofSeconds(30));
        var command = CloudEventCodec.data(ReceivedRecords.cloudEvent(record), StartBackup.class);
        assertEquals(UUID.fromString(runId), command.runId());
        assertEquals(BackupScope.ADMIN, command.scope());
        assertEquals("Admin", command.nodes().get(0).vmName());
    }

    @Test
    void recordsTheArtifactWhenTheExecutorReportsSuccess() {
        String host = announceHost();
        UUID runId = UUID.fromString(requestBackup(host, "ADMIN").then().statusCode(202).extract().path("id"));
        Instant t0 = Instant.parse("2026-11-27T22:00:00Z");

        publish(host, EventTypes.NODE_BACKUP_STARTED, new NodeBackupStarted(runId, host, NodeRole.ADMIN, "Admin", t0));
        publish(host, EventTypes.NODE_BACKUP_SUCCEEDED, new NodeBackupSucceeded(runId, host, NodeRole.ADMIN, "Admin",
                "/vmfs/volumes/backup/20261127220000/Admin", 65536, "ab".repeat(32), t0, t0.plusMillis(40),
                t0.plusMillis(60), "vim-cmd vmsvc/snapshot.get", t0.plusSeconds(10), List.of("00:50:56:aa:00:01"),
                "displayName = \"Admin\"", null));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/backups/" + runId).then()
                .body("state", equalTo("SUCCEEDED"))
                .body("nodes[0].artifactPath", equalTo("/vmfs/volumes/backup/20261127220000/Admin"))
                .body("nodes[0].sizeBytes", equalTo(65536))
                .body("nodes[0].sha256", equalTo("ab".repeat(32)))
                .body("startedAt", equalTo("2026-11-27T22:00:00Z")));
    }

    @Test
    void aFailedNodeFailsTheRunWithTheToolsMessage() {
        String host = announceHost();
        UUID runId = UUID.fromString(requestBackup(host, "ADMIN").then().statusCode(202).extract().path("id"));
        Instant t0 = Instant.parse("2026-11-27T22:00:00Z");
        publish(host, EventTypes.NODE_BACKUP_FAILED, new NodeBackupFailed(runId, host, NodeRole.ADMIN, "Admin",
                "xsibackup exited 1: No space left on device", t0, t0.plusSeconds(1)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/backups/" + runId).then()
                .body("state", equalTo("FAILED"))
                .body("nodes[0].message", containsString("No space left on device")));
    }

    @Test
    void aRedeliveredEventHasNoSecondEffect() {
        String host = announceHost();
        UUID runId = UUID.fromString(requestBackup(host, "ADMIN").then().statusCode(202).extract().path("id"));
        Instant t0 = Instant.parse("2026-11-27T22:00:00Z");
        var success = CloudEvent.of("/executor-service", EventTypes.NODE_BACKUP_SUCCEEDED, runId.toString(),
                new NodeBackupSucceeded(runId, host, NodeRole.ADMIN, "Admin", "/backup/a", 1, "cd".repeat(32), t0,
                        null, null, null, t0.plusSeconds(1), null, null, null), t0);
        kafka.send(Topics.EXECUTOR_EVENTS, host, CloudEventCodec.encode(success));
        // Same id, different content: if it were applied the run would fail.
        var sameIdFailure = new CloudEvent("1.0", success.id(), "/executor-service", EventTypes.NODE_BACKUP_FAILED,
                t0, runId.toString(), "application/json", CloudEventCodec.mapper().valueToTree(
                new NodeBackupFailed(runId, host, NodeRole.ADMIN, "Admin", "boom", t0, t0)));
        kafka.send(Topics.EXECUTOR_EVENTS, host, CloudEventCodec.encode(sameIdFailure));
        // A later, distinct event proves the consumer got past the duplicate.
        String marker = announceHost();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .contentType(ContentType.JSON).body("{\"managementHost\":\"" + marker + "\",\"scope\":\"ADMIN\"}")
                .post("/backups").then().statusCode(202));
        given().get("/backups/" + runId).then().body("state", equalTo("SUCCEEDED"))
                .body("nodes[0].message", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void refusesASecondRunForANodeThatIsBeingBackedUp() {
        String host = announceHost();
        requestBackup(host, "ADMIN").then().statusCode(202);
        requestBackup(host, "FULL").then().statusCode(409).body("message", containsString("never backed up twice"));
        requestBackup(host, "PAIR").then().statusCode(202);
    }

    @Test
    void refusesAnUnknownHostOrScopeNamingTheField() {
        requestBackup("no-such-host", "ADMIN").then().statusCode(400).body("field", equalTo("managementHost"));
        requestBackup("x", "HALF").then().statusCode(400).body("field", equalTo("scope"));
        given().get("/backups?state=DONE").then().statusCode(400).body("message", containsString("state"));
    }

    @Test
    void sendsAnUnusableEventToTheDeadLetterTopicWithTheReasonAndKeepsGoing() {
        kafka.send(Topics.EXECUTOR_EVENTS, "mh-bad", "{this is not json");
        var dead = kafka.awaitRecord(Topics.deadLetter(Topics.EXECUTOR_EVENTS), r -> "mh-bad".equals(r.key()),
                Duration.ofSeconds(30));
        assertEquals("{this is not json", dead.value());
        org.hamcrest.MatcherAssert.assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("not JSON"));

        String host = announceHost();
        requestBackup(host, "ADMIN").then().statusCode(202);
    }

    @Test
    void listsRunsFilteredByHostAndState() {
        String host = announceHost();
        requestBackup(host, "ADMIN").then().statusCode(202);
        given().get("/backups?managementHost=" + host + "&state=QUEUED").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].managementHost", equalTo(host));
        given().get("/backups?managementHost=" + host + "&state=SUCCEEDED").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    private static io.restassured.response.Response requestBackup(String host, String scope) {
        return given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"" + host + "\",\"scope\":\"" + scope + "\",\"reason\":\"test\"}")
                .when().post("/backups");
    }

    private String announceHost() {
        return Fixture.announceHost(hosts);
    }

    private static void publish(String host, String type, Object data) {
        publish(host, type, data, Topics.EXECUTOR_EVENTS);
    }

    private static void publish(String host, String type, Object data, String topic) {
        Fixture.publish(topic, host, type, data);
    }
}

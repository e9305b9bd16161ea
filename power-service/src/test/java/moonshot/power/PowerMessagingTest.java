package moonshot.power;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerAction;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerNode;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.knownhosts.KnownHostRepository;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static moonshot.power.Fixture.KAFKA;
import static moonshot.power.Fixture.WAIT;
import static moonshot.power.Fixture.awaitPowerNode;
import static moonshot.power.Fixture.awaitState;
import static moonshot.power.Fixture.confirmEach;
import static moonshot.power.Fixture.powerNodes;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StartPowerSequence on power.commands, and what power-service does with what it should not use. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "power"))
class PowerMessagingTest {

    @Inject
    KnownHostRepository hosts;

    @Test
    void aDuplicateStartPowerSequenceHasOneEffect() {
        String host = Fixture.announceHost(hosts);
        UUID sequenceId = UUID.randomUUID();
        var command = new StartPowerSequence(sequenceId, host, PowerDirection.OFF, false, "restore-saga");
        CloudEvent event = CloudEvent.of("/scheduler-service", EventTypes.START_POWER_SEQUENCE, host, command,
                Instant.now());
        KAFKA.send(Topics.POWER_COMMANDS, host, CloudEventCodec.encode(event));
        KAFKA.send(Topics.POWER_COMMANDS, host, CloudEventCodec.encode(event)); // redelivered: same event id
        Fixture.publish(Topics.POWER_COMMANDS, host, EventTypes.START_POWER_SEQUENCE, command); // same sequence id
        // a later, distinct command on the same partition proves the duplicates were consumed before it
        UUID marker = UUID.randomUUID();
        Fixture.publish(Topics.POWER_COMMANDS, host, EventTypes.START_POWER_SEQUENCE,
                new StartPowerSequence(marker, host, PowerDirection.ON, false, null));

        await().atMost(WAIT).untilAsserted(() -> given().get("/power-sequences/" + marker).then().statusCode(200)
                .body("state", equalTo("QUEUED")));
        given().get("/power-sequences?managementHost=" + host).then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.id == '" + sequenceId + "' }.state", equalTo("RUNNING"))
                .body("find { it.id == '" + sequenceId + "' }.requestedBy", equalTo("restore-saga"));
        awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.SHUTDOWN);
        assertEquals(1, powerNodes(host).size(), "one sequence, one first command");
    }

    @Test
    void queuesASecondSequenceForTheSameHostAndStartsItWhenTheFirstEnds() {
        String host = Fixture.announceHost(hosts);
        String off = Fixture.start(host, "OFF", false);
        String on = given().contentType("application/json")
                .body("{\"managementHost\":\"" + host + "\",\"direction\":\"ON\"}")
                .post("/power-sequences").then().statusCode(202).body("state", equalTo("QUEUED"))
                .body("steps.state", equalTo(List.of("PENDING", "PENDING", "PENDING")))
                .extract().path("id");

        confirmEach(host, PowerAction.SHUTDOWN, "OFF", NodeRole.BAREMETAL, NodeRole.CONTROLLER, NodeRole.ADMIN);
        awaitState(off, "SUCCEEDED");
        PowerNode admin = awaitPowerNode(host, NodeRole.ADMIN, PowerAction.POWER_ON);
        assertEquals(UUID.fromString(on), admin.sequenceId());
        assertEquals("RUNNING", Fixture.sequence(on).getString("state"));
    }

    @Test
    void refusesEveryPowerSequenceForAHostInventoryRemoved() {
        String host = Fixture.announceHost(hosts);
        Fixture.removeHost(hosts, host);

        given().contentType(ContentType.JSON).body(Map.of("managementHost", host, "direction", "OFF"))
                .when().post("/power-sequences")
                .then().statusCode(400)
                .body("field", equalTo("managementHost"))
                .body("message", containsString("management host '" + host + "' was removed from inventory"));
        Fixture.publish(Topics.POWER_COMMANDS, host, EventTypes.START_POWER_SEQUENCE,
                new StartPowerSequence(UUID.randomUUID(), host, PowerDirection.OFF, false, null));
        var dead = KAFKA.awaitRecord(Topics.deadLetter(Topics.POWER_COMMANDS), r -> host.equals(r.key()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("was removed from inventory"));
        given().when().get("/known-hosts").then().statusCode(200)
                .body("find { it.name == '" + host + "' }.removed", equalTo(true));
    }

    @Test
    void sendsAnUnusableStartPowerSequenceToTheDeadLetterTopicWithTheReasonAndKeepsGoing() {
        String bad = "mh-bad-" + UUID.randomUUID().toString().substring(0, 8);
        KAFKA.send(Topics.POWER_COMMANDS, bad, "{this is not json");
        var dead = KAFKA.awaitRecord(Topics.deadLetter(Topics.POWER_COMMANDS), r -> bad.equals(r.key()), WAIT);
        assertEquals("{this is not json", dead.value());
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("not JSON"));

        String missing = "mh-missing-" + UUID.randomUUID().toString().substring(0, 8);
        KAFKA.send(Topics.POWER_COMMANDS, missing, CloudEventCodec.encode(CloudEvent.of("/test",
                EventTypes.START_POWER_SEQUENCE, missing, java.util.Map.of("sequenceId", UUID.randomUUID(),
                        "direction", "OFF"), Instant.now())));
        var deadMissing = KAFKA.awaitRecord(Topics.deadLetter(Topics.POWER_COMMANDS),
                r -> missing.equals(r.key()), WAIT);
        assertThat(KafkaProbe.header(deadMissing, "dead-letter-reason"), containsString("managementHost is missing"));

        String unknown = "mh-unknown-" + UUID.randomUUID().toString().substring(0, 8);
        Fixture.publish(Topics.POWER_COMMANDS, unknown, EventTypes.START_POWER_SEQUENCE,
                new StartPowerSequence(UUID.randomUUID(), unknown, PowerDirection.ON, false, null));
        var deadUnknown = KAFKA.awaitRecord(Topics.deadLetter(Topics.POWER_COMMANDS),
                r -> unknown.equals(r.key()), WAIT);
        assertThat(KafkaProbe.header(deadUnknown, "dead-letter-reason"), containsString("unknown management host"));

        String host = Fixture.announceHost(hosts);
        UUID id = UUID.randomUUID();
        Fixture.publish(Topics.POWER_COMMANDS, host, EventTypes.START_POWER_SEQUENCE,
                new StartPowerSequence(id, host, PowerDirection.OFF, false, null));
        assertEquals(id, awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.SHUTDOWN).sequenceId());
    }

    @Test
    void passesOverTheExecutorsOtherEventsButDeadLettersAnUnusablePowerAnswer() {
        String key = "mh-other-" + UUID.randomUUID().toString().substring(0, 8);
        var backup = CloudEvent.of("/executor-service", EventTypes.NODE_BACKUP_STARTED, key,
                new NodeBackupStarted(UUID.randomUUID(), key, NodeRole.ADMIN, "Admin", Instant.now()), Instant.now());
        KAFKA.send(Topics.EXECUTOR_EVENTS, key, CloudEventCodec.encode(backup));
        UUID noSuchSequence = UUID.randomUUID();
        Fixture.publish(Topics.EXECUTOR_EVENTS, key, EventTypes.NODE_POWER_OBSERVED, new NodePowerObserved(
                UUID.randomUUID(), noSuchSequence, key, NodeRole.ADMIN, "Admin", "OFF", Instant.now()));

        // same key, same partition: once the second is dead-lettered, the first was consumed before it
        var dead = KAFKA.awaitRecord(Topics.deadLetter(Topics.EXECUTOR_EVENTS), r -> key.equals(r.key()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"),
                containsString("unknown power sequence " + noSuchSequence));
        assertTrue(KAFKA.recordsToEnd(Topics.deadLetter(Topics.EXECUTOR_EVENTS), r -> key.equals(r.key()))
                .stream().noneMatch(r -> r.value().contains(backup.id())),
                "the backup event is not power-service's business and was not dead-lettered");
    }

    @Test
    void keepsTheLatestNodeStatusAndDeadLettersOneForAnUnknownHost() {
        String host = Fixture.announceHost(hosts);
        Fixture.nodeStatus(host, "Ctrl", "Off");
        Fixture.nodeStatus(host, "Ctrl", "Deployed");
        await().atMost(WAIT).untilAsserted(() -> given().get("/node-status?managementHost=" + host).then()
                .statusCode(200).body("size()", equalTo(1)).body("[0].node", equalTo("Ctrl"))
                .body("[0].state", equalTo("Deployed")));

        String unknown = "mh-nope-" + UUID.randomUUID().toString().substring(0, 8);
        Fixture.nodeStatus(unknown, "Ctrl", "Deployed");
        var dead = KAFKA.awaitRecord(Topics.deadLetter(Topics.NODE_STATUS), r -> unknown.equals(r.key()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("unknown management host"));
        Fixture.nodeStatus(host, "NotAVm", "Deployed");
        var deadVm = KAFKA.awaitRecord(Topics.deadLetter(Topics.NODE_STATUS),
                r -> host.equals(r.key()) && r.value().contains("NotAVm"), WAIT);
        assertThat(KafkaProbe.header(deadVm, "dead-letter-reason"), containsString("has no VM named NotAVm"));
    }
}

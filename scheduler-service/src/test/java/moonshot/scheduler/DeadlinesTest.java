package moonshot.scheduler;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import moonshot.clock.SettableClock;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceStatus;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerDirection;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.messaging.ReceivedRecords;
import moonshot.scheduler.service.ExpireOverdueWork;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlines: what waits for an answer that never comes ends at its deadline, with the reason, and frees the host. The
 * test moves the settable clock to each deadline and runs the job itself (its test tick is an hour); the clock only
 * moves forward from where it reads, as other test classes expect.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
@QuarkusTestResource(ExecutorStandIn.class)
class DeadlinesTest {

    @Inject
    KnownHostRepository hosts;
    @Inject
    ExpireOverdueWork deadlines;
    @Inject
    Clock clock;

    @Test
    void aQueuedRunTheExecutorNeverStartsFailsAtItsDeadlineAndTheHostTakesANewBackup() {
        String host = Fixture.announceHost(hosts);
        String id = requestBackup(host, "PAIR").then().statusCode(202).extract().path("id");
        UUID runId = UUID.fromString(id);
        JsonPath queued = given().get("/backups/" + id).then().extract().jsonPath(); // as stored: microseconds
        Instant deadline = Instant.parse(queued.getString("deadlineAt"));
        assertEquals(Duration.ofHours(6), Duration.between(Instant.parse(queued.getString("requestedAt")),
                deadline), "moonshot.scheduler.deadline.run-queued");
        requestBackup(host, "PAIR").then().statusCode(409);

        moveClockTo(deadline.minusSeconds(5));
        assertFalse(deadlines.expireDue().runs().contains(runId), "not before its deadline");
        given().get("/backups/" + runId).then().body("state", equalTo("QUEUED"));

        moveClockTo(deadline);
        assertTrue(deadlines.expireDue().runs().contains(runId));

        String reason = "no answer from the executor within PT6H of the request (deadline " + deadline
                + "): it never reported the backup started";
        given().get("/backups/" + runId).then()
                .body("state", equalTo("FAILED"))
                .body("startedAt", nullValue())
                .body("finishedAt", notNullValue())
                .body("nodes.state", everyItem(equalTo("FAILED")))
                .body("nodes.message", everyItem(equalTo(reason)));
        requestBackup(host, "PAIR").then().statusCode(202);
        assertFalse(deadlines.expireDue().runs().contains(runId), "ended once");
    }

    @Test
    void aRunningRunPastItsDeadlineFailsAndTheExecutorsLateSuccessLeavesItFailedWithoutADeadLetter() {
        String host = Fixture.announceHost(hosts);
        UUID runId = UUID.fromString(requestBackup(host, "ADMIN").then().statusCode(202).extract().path("id"));
        Instant dispatched = clock.instant().truncatedTo(ChronoUnit.MICROS); // as PostgreSQL keeps it
        Fixture.publish(Topics.EXECUTOR_EVENTS, host, EventTypes.NODE_BACKUP_STARTED,
                new NodeBackupStarted(runId, host, NodeRole.ADMIN, "Admin", dispatched));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/backups/" + runId).then()
                .body("state", equalTo("RUNNING")));
        Instant deadline = Instant.parse(given().get("/backups/" + runId).path("deadlineAt"));
        assertFalse(deadline.isBefore(dispatched.plus(Duration.ofHours(3))), "moonshot.scheduler.deadline.run, "
                + "counted from when the scheduler learnt the run started");

        moveClockTo(deadline);
        assertTrue(deadlines.expireDue().runs().contains(runId));
        given().get("/backups/" + runId).then().body("state", equalTo("FAILED"))
                .body("nodes[0].message", equalTo("no answer from the executor by the run's deadline " + deadline
                        + " (started " + dispatched + "): no outcome for this node"));

        Fixture.publish(Topics.EXECUTOR_EVENTS, host, EventTypes.NODE_BACKUP_SUCCEEDED, new NodeBackupSucceeded(
                runId, host, NodeRole.ADMIN, "Admin", "/vmfs/volumes/backup/late/Admin", 1024, "ef".repeat(32),
                dispatched, null, null, null, clock.instant(), List.of(), null, null));
        // Garbage on the same key lands behind the late success: once it is dead-lettered, the success was handled.
        String garbage = "not an event " + UUID.randomUUID();
        Fixture.KAFKA.send(Topics.EXECUTOR_EVENTS, host, garbage);
        Fixture.KAFKA.awaitRecord(Topics.deadLetter(Topics.EXECUTOR_EVENTS), r -> garbage.equals(r.value()),
                Duration.ofSeconds(30));
        assertEquals(List.of(garbage), Fixture.KAFKA.recordsToEnd(Topics.deadLetter(Topics.EXECUTOR_EVENTS),
                r -> host.equals(r.key())).stream().map(ConsumerRecord::value).toList(),
                "the late success is dropped, not dead-lettered");
        given().get("/backups/" + runId).then().body("state", equalTo("FAILED"))
                .body("nodes[0].state", equalTo("FAILED"))
                .body("nodes[0].artifactPath", nullValue());
        requestBackup(host, "ADMIN").then().statusCode(202);
    }

    @Test
    void aTicketWaitingForARunThatGetsNoAnswerIsBlockedWithTheRunsReason() {
        String host = Fixture.announceHost(hosts);
        String ticket = "CHG-" + host;
        MaintenanceTest.publishMaintenance(EventTypes.MAINTENANCE_SCHEDULED, host, ticket);
        String runId = MaintenanceTest.awaitRun(host);
        Instant runDeadline = Instant.parse(given().get("/backups/" + runId).path("deadlineAt"));

        moveClockTo(runDeadline);
        assertTrue(deadlines.expireDue().runs().contains(UUID.fromString(runId)));

        MaintenanceStatus blocked = status(MaintenanceTest.awaitStatus(ticket, EventTypes.MAINTENANCE_BLOCKED));
        String why = ": no answer from the executor within PT6H of the request (deadline " + runDeadline
                + "): it never reported the backup started";
        assertThat(blocked.reason(), startsWith("backup run " + runId + " ended FAILED: "));
        for (String node : List.of("ADMIN (Admin)", "CONTROLLER (Ctrl)", "BAREMETAL (Bm)")) {
            assertThat(blocked.reason(), containsString(node + why));
        }
        assertEquals(List.of(EventTypes.MAINTENANCE_BLOCKED), MaintenanceTest.statuses(ticket));
        given().get("/maintenance?managementHost=" + host).then().body("[0].state", equalTo("BLOCKED"));
    }

    @Test
    void aTicketWhosePowerOffIsNeverAnsweredIsBlockedAtItsDeadlineWithTheSequence() {
        String host = Fixture.announceHost(hosts);
        String ticket = "UP-" + host;
        MaintenanceTest.publishMaintenance(EventTypes.MAINTENANCE_UPGRADE, host, ticket, true);
        Fixture.finishRun(MaintenanceTest.awaitRun(host), null, null);
        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        JsonPath waiting = given().get("/maintenance?managementHost=" + host).then()
                .body("[0].state", equalTo("POWERING_OFF")).extract().jsonPath();
        Instant deadline = Instant.parse(waiting.getString("[0].deadlineAt"));
        assertEquals(Duration.ofHours(10), Duration.between(Instant.parse(waiting.getString("[0].receivedAt")),
                deadline), "moonshot.scheduler.deadline.ticket, from the ticket's arrival");

        moveClockTo(deadline.minusSeconds(5));
        assertFalse(deadlines.expireDue().tickets().contains(UUID.fromString(waiting.getString("[0].id"))));
        moveClockTo(deadline);
        assertTrue(deadlines.expireDue().tickets().contains(UUID.fromString(waiting.getString("[0].id"))));

        ConsumerRecord<String, String> record = MaintenanceTest.awaitStatus(ticket, EventTypes.MAINTENANCE_BLOCKED);
        assertEquals(host, record.key());
        assertEquals("power-service did not answer the power-off sequence " + off.sequenceId() + " within PT10H "
                + "(deadline " + deadline + ")", status(record).reason());
        given().get("/maintenance?managementHost=" + host).then().body("[0].state", equalTo("BLOCKED"));
    }

    @Test
    void aRestoreStepWithoutAnAnswerFailsTheRestoreWithTheReasonUntilAnOperatorAbandonsIt() {
        String host = Fixture.announceHost(hosts);
        Fixture.backup(host, "ADMIN", null);
        String id = RestoreTest.restore(host, "ADMIN").then().statusCode(202).extract().path("id");
        Fixture.powerSequenceFinished(Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of()));
        RestoreNode admin = Fixture.awaitRestoreNode(host, NodeRole.ADMIN, Set.of());
        JsonPath restoring = RestoreTest.awaitState(id, "RESTORING");
        Instant deadline = Instant.parse(restoring.getString("steps[1].deadlineAt"));
        assertEquals(Duration.ofHours(3), Duration.between(Instant.parse(restoring.getString("steps[1].sentAt")),
                deadline), "moonshot.scheduler.deadline.restore-step, from the send");

        moveClockTo(deadline);
        assertTrue(deadlines.expireDue().restores().contains(UUID.fromString(id)));

        String reason = "no answer from the executor to RestoreNode " + admin.commandId() + " within PT3H (deadline "
                + deadline + ")";
        given().get("/restores/" + id).then()
                .body("state", equalTo("FAILED"))
                .body("failedStep", equalTo(2))
                .body("reason", equalTo("step 2 (restore ADMIN Admin) failed: " + reason))
                .body("steps[1].state", equalTo("FAILED"))
                .body("steps[1].reason", equalTo(reason))
                .body("steps[2].state", equalTo("PENDING"));
        // a failed restore holds the host, as any failed restore does, until it is retried or abandoned
        requestBackup(host, "ADMIN").then().statusCode(409);
        given().post("/restores/" + id + "/abandon").then().statusCode(200);
        requestBackup(host, "ADMIN").then().statusCode(202);
    }

    private void moveClockTo(Instant now) {
        ((SettableClock) clock).set(now);
    }

    private static MaintenanceStatus status(ConsumerRecord<String, String> record) {
        return CloudEventCodec.data(ReceivedRecords.cloudEvent(record), MaintenanceStatus.class);
    }

    private static Response requestBackup(String host, String scope) {
        return given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"" + host + "\",\"scope\":\"" + scope + "\",\"reason\":\"test\"}")
                .post("/backups");
    }
}

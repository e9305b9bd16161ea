package moonshot.scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.MaintenanceStatus;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerDirection;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.messaging.ReceivedRecords;
import moonshot.knownhosts.KnownHostRepository;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Maintenance events as other systems publish them on the real broker (root README, Public contract). */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
class MaintenanceTest {

    @Inject
    KnownHostRepository hosts;
    @Inject
    MeterRegistry meters;

    @Test
    void aScheduledMaintenanceGetsAFullBackupThenReady() {
        String host = Fixture.announceHost(hosts);
        String ticket = "CHG-" + host;
        publishMaintenance(EventTypes.MAINTENANCE_SCHEDULED, host, ticket);

        String runId = awaitRun(host);
        given().get("/backups/" + runId).then().body("scope", equalTo("FULL")).body("trigger", equalTo("MAINTENANCE"))
                .body("ticket", equalTo(ticket));
        Fixture.finishRun(runId, null, null);

        var ready = awaitStatus(ticket);
        assertEquals(EventTypes.MAINTENANCE_READY, ReceivedRecords.cloudEvent(ready).type());
        var status = CloudEventCodec.data(ReceivedRecords.cloudEvent(ready), MaintenanceStatus.class);
        assertEquals(runId, status.backupRun().toString());
        assertEquals(host, ready.key());

        publishMaintenance(EventTypes.MAINTENANCE_COMPLETED, host, ticket);
        var finished = Fixture.KAFKA.awaitRecord(Topics.MAINTENANCE_STATUS,
                r -> ticket.equals(ReceivedRecords.cloudEvent(r).subject())
                        && ReceivedRecords.cloudEvent(r).type().equals(EventTypes.MAINTENANCE_FINISHED),
                Duration.ofSeconds(30));
        assertEquals(host, finished.key());
    }

    @Test
    void theSameEventTwiceGivesOneBackup() {
        String host = Fixture.announceHost(hosts);
        var event = CloudEvent.of("/codn/patch-manager", EventTypes.MAINTENANCE_HOTFIX, null,
                new MaintenanceRequest(host, "HF-" + host, false, "ops@example.com"), Instant.now());
        String json = CloudEventCodec.encode(event);
        Fixture.KAFKA.send(Topics.MAINTENANCE, host, json);
        Fixture.KAFKA.send(Topics.MAINTENANCE, host, json);
        // and a distinct event for the same ticket (a re-sent announcement) has no second effect either
        publishMaintenance(EventTypes.MAINTENANCE_HOTFIX, host, "HF-" + host);

        awaitRun(host);
        String marker = Fixture.announceHost(hosts);
        // keyed like the duplicates, so it lands behind them on the same partition
        Fixture.KAFKA.send(Topics.MAINTENANCE, host, CloudEventCodec.encode(CloudEvent.of("/x",
                EventTypes.MAINTENANCE_UPGRADE, null, new MaintenanceRequest(marker, "UP-" + marker, false, null),
                Instant.now())));
        awaitRun(marker); // the consumer has passed all three by now
        given().get("/backups?managementHost=" + host).then().body("size()", equalTo(1));
    }

    @Test
    void aFailedBackupBlocksTheTicketWithTheToolsMessage() {
        String host = Fixture.announceHost(hosts);
        String ticket = "UP-" + host;
        publishMaintenance(EventTypes.MAINTENANCE_UPGRADE, host, ticket);
        Fixture.finishRun(awaitRun(host), NodeRole.CONTROLLER, "exited 1: ERROR: No space left on device");

        var blocked = awaitStatus(ticket);
        assertEquals(EventTypes.MAINTENANCE_BLOCKED, ReceivedRecords.cloudEvent(blocked).type());
        var status = CloudEventCodec.data(ReceivedRecords.cloudEvent(blocked), MaintenanceStatus.class);
        assertThat(status.reason(), containsString("No space left on device"));
        assertThat(status.reason(), containsString("CONTROLLER"));
    }

    @Test
    void aDeploymentBackupIsKeptAsAProtectedBaseline() {
        String host = Fixture.announceHost(hosts);
        publishMaintenance(EventTypes.DEPLOYMENT_SUCCEEDED, host, "DEP-" + host);
        String runId = awaitRun(host);
        given().get("/backups/" + runId).then().body("protectedBaseline", equalTo(true)).body("scope", equalTo("FULL"));
    }

    @Test
    void unusableEventsGoToTheDeadLetterTopicWithTheReason() {
        String key = "dlq-" + System.nanoTime();
        Fixture.KAFKA.send(Topics.MAINTENANCE, key, "{\"specversion\":\"1.0\"");
        Fixture.KAFKA.send(Topics.MAINTENANCE, key, CloudEventCodec.encode(CloudEvent.of("/x",
                EventTypes.MAINTENANCE_SCHEDULED, null, new MaintenanceRequest("no-such-host", "T-1", false, null),
                Instant.now())));
        Fixture.KAFKA.send(Topics.MAINTENANCE, key, CloudEventCodec.encode(CloudEvent.of("/x",
                "moonshot.maintenance.rebooted", null, Map.of("managementHost", "x", "ticket", "T"), Instant.now())));
        Fixture.KAFKA.send(Topics.MAINTENANCE, key, """
                {"specversion":"1.0","id":"%s","source":"/x","type":"moonshot.maintenance.scheduled",
                 "data":{"ticket":"T-2"}}""".formatted(key));

        List<ConsumerRecord<String, String>> dead = Fixture.KAFKA.awaitRecords(Topics.deadLetter(Topics.MAINTENANCE),
                r -> key.equals(r.key()), 4, Duration.ofSeconds(30));
        List<String> reasons = dead.stream().map(r -> KafkaProbe.header(r, "dead-letter-reason")).toList();
        assertTrue(reasons.get(0).contains("not JSON"), reasons.toString());
        assertTrue(reasons.get(1).contains("unknown management host 'no-such-host'"), reasons.toString());
        assertTrue(reasons.get(2).contains("unknown event type moonshot.maintenance.rebooted"), reasons.toString());
        assertTrue(reasons.get(3).contains("data.managementHost is missing"), reasons.toString());

        // the consumer keeps going
        String host = Fixture.announceHost(hosts);
        publishMaintenance(EventTypes.MAINTENANCE_SCHEDULED, host, "CHG-after-dlq");
        awaitRun(host);
    }

    @Test
    void aMaintenanceEventThatOvertakesTheAnnouncementOfItsHostWaitsForItInsteadOfBeingDeadLettered() {
        String host = "mh-late-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        var waited = meters.counter("moonshot.consumer.retries", "consumer", "scheduler.maintenance", "kind",
                "NOT_YET_KNOWN");
        double before = waited.count();
        publishMaintenance(EventTypes.MAINTENANCE_SCHEDULED, host, "CHG-" + host);
        // the scheduler met the event before the host; inventory's announcement comes second, within the grace
        await().atMost(Duration.ofSeconds(30)).until(() -> waited.count() > before);
        Fixture.publishHost(host);
        awaitRun(host);
        assertTrue(Fixture.KAFKA.recordsToEnd(Topics.deadLetter(Topics.MAINTENANCE),
                r -> host.equals(r.key())).isEmpty(), "nothing dead-lettered for the host that came second");
    }

    @Test
    void anOperatorCanAnnounceMaintenanceOverRest() {
        String host = Fixture.announceHost(hosts);
        given().contentType(ContentType.JSON).body("""
                        {"type":"scheduled","managementHost":"%s","ticket":"CHG-REST","requestedBy":"ops"}"""
                        .formatted(host))
                .post("/maintenance").then().statusCode(202).body("state", equalTo("BACKING_UP"));
        given().contentType(ContentType.JSON).body("""
                        {"type":"scheduled","managementHost":"nope","ticket":"CHG-1"}""")
                .post("/maintenance").then().statusCode(400).body("field", equalTo("managementHost"));
        given().contentType(ContentType.JSON).body("""
                        {"type":"reboot","managementHost":"%s","ticket":"CHG-1"}""".formatted(host))
                .post("/maintenance").then().statusCode(400).body("field", equalTo("type"));
    }

    @Test
    void withPowerOffItGoesBackupPowerOffReadyThenCompletedPowerOnFinished() {
        String host = Fixture.announceHost(hosts);
        String ticket = "CHG-PWR-" + host;
        publishMaintenance(EventTypes.MAINTENANCE_SCHEDULED, host, ticket, true);
        String runId = awaitRun(host);
        // the ticket's power-off sequence is recorded in the transaction that sends it: none yet, none sent
        given().get("/maintenance?managementHost=" + host).then().body("[0].state", equalTo("BACKING_UP"))
                .body("[0].powerOffSequence", nullValue());
        Fixture.finishRun(runId, null, null);

        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        assertEquals(List.of(off), Fixture.powerSequencesSent(host), "nothing was powered off before the backup");
        assertEquals(host, off.managementHost());
        assertThat(off.requestedBy(), containsString(ticket));
        given().get("/maintenance?managementHost=" + host).then().body("[0].state", equalTo("POWERING_OFF"))
                .body("[0].powerOffSequence", equalTo(off.sequenceId().toString()));
        assertEquals(List.of(), statuses(ticket), "ready waits for the power-off sequence to finish");
        Fixture.powerSequenceFinished(off);

        var ready = awaitStatus(ticket);
        assertEquals(EventTypes.MAINTENANCE_READY, ReceivedRecords.cloudEvent(ready).type());
        assertEquals(runId, CloudEventCodec.data(ReceivedRecords.cloudEvent(ready), MaintenanceStatus.class)
                .backupRun().toString());

        given().contentType(ContentType.JSON).body("""
                        {"managementHost":"%s","failedNodes":["ADMIN"],"dryRun":false}""".formatted(host))
                .post("/restores").then().statusCode(409)
                .body("message", containsString("powered off for maintenance ticket " + ticket));

        publishMaintenance(EventTypes.MAINTENANCE_COMPLETED, host, ticket, true);
        StartPowerSequence on = Fixture.awaitPowerSequence(host, PowerDirection.ON, Set.of());
        given().get("/maintenance?managementHost=" + host).then().body("[0].state", equalTo("POWERING_ON"));
        Fixture.powerSequenceFinished(on);
        var finished = awaitStatus(ticket, EventTypes.MAINTENANCE_FINISHED);
        assertEquals(host, finished.key());
        assertEquals(List.of(EventTypes.MAINTENANCE_READY, EventTypes.MAINTENANCE_FINISHED), statuses(ticket));
    }

    @Test
    void aFailingPowerOffBlocksTheTicketWithTheStepAndTheReason() {
        String host = Fixture.announceHost(hosts);
        String ticket = "HF-PWR-" + host;
        publishMaintenance(EventTypes.MAINTENANCE_HOTFIX, host, ticket, true);
        Fixture.finishRun(awaitRun(host), null, null);
        Fixture.powerSequenceFailed(Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of()),
                "CONTROLLER (Ctrl): power off", "Ctrl did not reach OFF within 120 s");

        var blocked = awaitStatus(ticket);
        assertEquals(EventTypes.MAINTENANCE_BLOCKED, ReceivedRecords.cloudEvent(blocked).type());
        String reason = CloudEventCodec.data(ReceivedRecords.cloudEvent(blocked), MaintenanceStatus.class).reason();
        assertThat(reason, containsString("power-off sequence"));
        assertThat(reason, containsString("CONTROLLER (Ctrl): power off"));
        assertThat(reason, containsString("Ctrl did not reach OFF within 120 s"));
    }

    @Test
    void aFailingPowerOnBlocksTheTicketAndAnotherCompletedPowersOnAgain() {
        String host = Fixture.announceHost(hosts);
        String ticket = "UP-PWR-" + host;
        publishMaintenance(EventTypes.MAINTENANCE_UPGRADE, host, ticket, true);
        Fixture.finishRun(awaitRun(host), null, null);
        Fixture.powerSequenceFinished(Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of()));
        awaitStatus(ticket, EventTypes.MAINTENANCE_READY);

        publishMaintenance(EventTypes.MAINTENANCE_COMPLETED, host, ticket, true);
        StartPowerSequence firstOn = Fixture.awaitPowerSequence(host, PowerDirection.ON, Set.of());
        Fixture.powerSequenceFailed(firstOn, "CONTROLLER (Ctrl): wait for Deployed", "not Deployed within 600 s");
        var blocked = awaitStatus(ticket, EventTypes.MAINTENANCE_BLOCKED);
        assertThat(CloudEventCodec.data(ReceivedRecords.cloudEvent(blocked), MaintenanceStatus.class).reason(),
                containsString("power-on sequence " + firstOn.sequenceId() + " halted at CONTROLLER (Ctrl): wait "
                        + "for Deployed: not Deployed within 600 s"));

        publishMaintenance(EventTypes.MAINTENANCE_COMPLETED, host, ticket, true);
        StartPowerSequence secondOn = Fixture.awaitPowerSequence(host, PowerDirection.ON, Set.of(firstOn.sequenceId()));
        Fixture.powerSequenceFinished(firstOn); // a stale answer for the failed attempt changes nothing
        Fixture.powerSequenceFinished(secondOn);
        awaitStatus(ticket, EventTypes.MAINTENANCE_FINISHED);
        assertEquals(1, Fixture.powerSequencesSent(host).stream().filter(s -> s.direction() == PowerDirection.OFF)
                .count());
    }

    @Test
    void withoutPowerOffNothingIsPoweredAndCompletedFinishesAtOnce() {
        String host = Fixture.announceHost(hosts);
        String ticket = "CHG-NOPWR-" + host;
        publishMaintenance(EventTypes.MAINTENANCE_SCHEDULED, host, ticket, false);
        Fixture.finishRun(awaitRun(host), null, null);
        awaitStatus(ticket, EventTypes.MAINTENANCE_READY);
        publishMaintenance(EventTypes.MAINTENANCE_COMPLETED, host, ticket, false);
        awaitStatus(ticket, EventTypes.MAINTENANCE_FINISHED);
        // a restore afterwards powers off through the same path: its sequence is the first one for the host
        given().contentType(ContentType.JSON).body("""
                        {"managementHost":"%s","failedNodes":["ADMIN"],"dryRun":false}""".formatted(host))
                .post("/restores").then().statusCode(202);
        StartPowerSequence marker = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        assertEquals(List.of(marker), Fixture.powerSequencesSent(host));
    }

    static void publishMaintenance(String type, String host, String ticket) {
        publishMaintenance(type, host, ticket, false);
    }

    static void publishMaintenance(String type, String host, String ticket, boolean powerOff) {
        Fixture.KAFKA.send(Topics.MAINTENANCE, host, CloudEventCodec.encode(CloudEvent.of("/codn/patch-manager", type,
                null, new MaintenanceRequest(host, ticket, powerOff, "ops@example.com"), Instant.now())));
    }

    static ConsumerRecord<String, String> awaitStatus(String ticket, String type) {
        return Fixture.KAFKA.awaitRecord(Topics.MAINTENANCE_STATUS,
                r -> ticket.equals(ReceivedRecords.cloudEvent(r).subject())
                        && type.equals(ReceivedRecords.cloudEvent(r).type()), Duration.ofSeconds(30));
    }

    /** The status event types published for {@code ticket} up to maintenance.status' end as of now, in order. */
    static List<String> statuses(String ticket) {
        return Fixture.KAFKA.recordsToEnd(Topics.MAINTENANCE_STATUS,
                r -> ticket.equals(ReceivedRecords.cloudEvent(r).subject())).stream()
                .map(r -> ReceivedRecords.cloudEvent(r).type()).toList();
    }

    static String awaitRun(String host) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> ids = given().get("/backups?managementHost=" + host).then().extract().path("id");
            if (ids.isEmpty()) {
                return false;
            }
            id[0] = ids.get(0);
            return true;
        });
        return id[0];
    }

    static ConsumerRecord<String, String> awaitStatus(String ticket) {
        return Fixture.KAFKA.awaitRecord(Topics.MAINTENANCE_STATUS,
                r -> ticket.equals(ReceivedRecords.cloudEvent(r).subject()), Duration.ofSeconds(30));
    }
}

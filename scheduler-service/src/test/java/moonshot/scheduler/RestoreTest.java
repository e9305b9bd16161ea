package moonshot.scheduler;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import moonshot.contract.EventTypes;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.NodeRestored;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.scheduler.repository.RestoreRepository;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restores planned and driven by the scheduler; the test plays power-service and the executor on the real broker. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
@QuarkusTestResource(ExecutorStandIn.class)
class RestoreTest {

    @Inject
    KnownHostRepository hosts;
    @Inject
    RestoreRepository restores;

    @Test
    void aFailedControllerRestoresBothPairMembersFromOneRunWithTheirCapturedMacsInOrder() {
        String host = Fixture.announceKvmHost(hosts);
        String complete = Fixture.backup(host, "PAIR", null);
        Fixture.backup(host, "PAIR", NodeRole.BAREMETAL); // newer, but not a complete set

        JsonPath started = restore(host, "CONTROLLER").then().statusCode(202)
                .body("state", equalTo("POWERING_OFF")).body("restoredNodes", equalTo(List.of("CONTROLLER",
                        "BAREMETAL")))
                .body("steps.kind", equalTo(List.of("POWER_OFF", "RESTORE_NODE", "RESTORE_NODE", "POWER_ON")))
                .body("steps.state", equalTo(List.of("SENT", "PENDING", "PENDING", "PENDING")))
                .extract().jsonPath();
        String id = started.getString("id");

        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        assertEquals(started.getString("steps[0].commandId"), off.sequenceId().toString(),
                "the sequence id is the step's command id");
        assertFalse(off.includeHypervisor());
        assertNoRestoreCommandYet(id, 2);
        Fixture.powerSequenceFinished(off);

        RestoreNode controller = Fixture.awaitRestoreNode(host, NodeRole.CONTROLLER, Set.of());
        assertEquals(UUID.fromString(id), controller.restoreId());
        assertEquals("Controller", controller.vmName());
        assertEquals(34, controller.vzdumpVmid());
        assertEquals("/vmfs/volumes/backup/" + complete + "/Controller", controller.artifactPath());
        assertEquals(List.of("00:50:56:aa:00:01"), controller.expectedMacs());
        assertNoRestoreCommandYet(id, 3); // BAREMETAL waits for CONTROLLER's answer
        Fixture.nodeRestored(controller);

        RestoreNode baremetal = Fixture.awaitRestoreNode(host, NodeRole.BAREMETAL, Set.of());
        assertEquals("/vmfs/volumes/backup/" + complete + "/Compute", baremetal.artifactPath(), "the same run");
        assertEquals(List.of("00:50:56:aa:00:02"), baremetal.expectedMacs());
        assertEquals(35, baremetal.vzdumpVmid());
        assertNoRestoreCommandYet(id, 4); // power-on waits for the last restore
        Fixture.nodeRestored(baremetal);

        StartPowerSequence on = Fixture.awaitPowerSequence(host, PowerDirection.ON, Set.of());
        Fixture.powerSequenceFinished(on);

        JsonPath done = awaitState(id, "SUCCEEDED");
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"), done.getList("steps.state"));
        assertEquals(List.of(complete, complete), done.getList("steps.findAll { it.kind == 'RESTORE_NODE' }.backupSet"));
        assertEquals(List.of("00:50:56:aa:00:01"), done.getList("steps[1].restoredMacs"));
        assertEquals("34", done.getString("steps[1].restoredVmId"));
        assertThat(done.getString("steps[1].description"), startsWith("remove Controller's files and restore it "
                + "as VMID 34 from /vmfs/volumes/backup/" + complete + "/Controller (run " + complete + ", taken "));
        List<Instant> sent = done.<String>getList("steps.sentAt").stream().map(Instant::parse).toList();
        List<Instant> finished = done.<String>getList("steps.finishedAt").stream().map(Instant::parse).toList();
        for (int i = 1; i < sent.size(); i++) {
            assertFalse(sent.get(i).isBefore(finished.get(i - 1)), "step " + (i + 1) + " sent after step " + i
                    + " finished");
        }
        assertEquals(List.of(off.sequenceId(), on.sequenceId()),
                Fixture.powerSequencesSent(host).stream().map(StartPowerSequence::sequenceId).toList(),
                "one power-off and one power-on, nothing repeated");
    }

    @Test
    void aFailedAdminIsRestoredAlone() {
        String host = Fixture.announceHost(hosts);
        String adminRun = Fixture.backup(host, "ADMIN", null);

        String id = restore(host, "ADMIN").then().statusCode(202)
                .body("restoredNodes", equalTo(List.of("ADMIN")))
                .body("steps.kind", equalTo(List.of("POWER_OFF", "RESTORE_NODE", "POWER_ON")))
                .extract().path("id");
        Fixture.powerSequenceFinished(Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of()));
        RestoreNode admin = Fixture.awaitRestoreNode(host, NodeRole.ADMIN, Set.of());
        assertEquals("/vmfs/volumes/backup/" + adminRun + "/Admin", admin.artifactPath());
        Fixture.nodeRestored(admin);
        Fixture.powerSequenceFinished(Fixture.awaitPowerSequence(host, PowerDirection.ON, Set.of()));

        awaitState(id, "SUCCEEDED");
        assertEquals(List.of(NodeRole.ADMIN), Fixture.restoresSent(host).stream().map(RestoreNode::role).toList());
        given().get("/restores?managementHost=" + host).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo(id));
    }

    @Test
    void aDryRunReturnsThePlanAndLeavesNoRowsAndSendsNothing() {
        String host = Fixture.announceHost(hosts);
        String pair = Fixture.backup(host, "PAIR", null);

        restore(host, "BAREMETAL", true).then().statusCode(200)
                .body("dryRun", equalTo(true))
                .body("restoredNodes", equalTo(List.of("CONTROLLER", "BAREMETAL")))
                .body("steps.number", equalTo(List.of(1, 2, 3, 4)))
                .body("steps[0].description", containsString("BAREMETAL Bm, then CONTROLLER Ctrl, then ADMIN Admin"))
                .body("steps[1].backupSet", equalTo(pair))
                .body("steps[1].expectedMacs", equalTo(List.of("00:50:56:aa:00:01")))
                .body("steps[2].description", containsString("remove Bm's files and restore it from "
                        + "/vmfs/volumes/backup/" + pair + "/Bm (run " + pair))
                .body("steps[3].description", containsString("Ctrl and wait until it is Deployed"))
                .body("id", nullValue());

        given().get("/restores?managementHost=" + host).then().body("size()", equalTo(0));
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> restores.count("managementHost", host)));
        // the real restore that follows sends through the same path: its commands are the first ones for the host
        restore(host, "BAREMETAL").then().statusCode(202);
        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        assertEquals(List.of(off), Fixture.powerSequencesSent(host));
        Fixture.powerSequenceFinished(off);
        RestoreNode controller = Fixture.awaitRestoreNode(host, NodeRole.CONTROLLER, Set.of());
        assertEquals(List.of(controller), Fixture.restoresSent(host));
    }

    @Test
    void aSetWhoseArtifactFailsTheHypervisorCheckIsSkippedWithTheReasonAndNothingIsPoweredOffWhenNoneIsLeft() {
        String host = Fixture.announceHost(hosts);
        String older = Fixture.backup(host, "PAIR", null);
        String newer = Fixture.backup(host, "PAIR", null);
        ExecutorStandIn.breakArtifact("/vmfs/volumes/backup/" + newer + "/Bm",
                "changed since the backup: now 1000 bytes, sha256 00…; recorded 1024 bytes");

        restore(host, "CONTROLLER", true).then().statusCode(200)
                .body("steps[1].backupSet", equalTo(older))
                .body("steps[2].backupSet", equalTo(older))
                .body("skippedSets[0].backupSet", equalTo(newer))
                .body("skippedSets[0].reason", containsString("BAREMETAL /vmfs/volumes/backup/" + newer + "/Bm changed "
                        + "since the backup"));
        assertTrue(ExecutorStandIn.REQUESTS.stream().anyMatch(r -> r.managementHost().equals(host)
                && r.artifacts().stream().anyMatch(a -> a.sizeBytes() == 1024L && a.sha256().equals("ef".repeat(32)))),
                "the executor is asked with the size and SHA-256 recorded at backup time");

        ExecutorStandIn.breakArtifact("/vmfs/volumes/backup/" + older + "/Ctrl", "no artifact at that path");
        restore(host, "CONTROLLER").then().statusCode(409).body("field", equalTo("failedNodes"))
                .body("message", containsString("nothing was powered off"))
                .body("message", containsString("no artifact at that path"));
        given().get("/restores?managementHost=" + host).then().body("size()", equalTo(0));
        Fixture.backup(host, "PAIR", null); // a sound set: the restore that follows powers off, the first to do so
        restore(host, "CONTROLLER").then().statusCode(202);
        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        assertEquals(List.of(off), Fixture.powerSequencesSent(host), "a restore that cannot succeed powers nothing off");
    }

    @Test
    void refusesWhenNoCompleteSetExistsAndValidatesANamedSet() {
        String host = Fixture.announceHost(hosts);
        String partial = Fixture.backup(host, "PAIR", NodeRole.CONTROLLER);

        for (boolean dryRun : List.of(true, false)) {
            restore(host, "CONTROLLER", dryRun).then().statusCode(409).body("field", equalTo("failedNodes"))
                    .body("message", startsWith("no complete backup set with both CONTROLLER and BAREMETAL for "
                            + host))
                    .body("message", containsString("PARTIALLY_FAILED"));
        }
        restoreFrom(host, "BAREMETAL", partial).then().statusCode(409).body("field", equalTo("backupSet"))
                .body("message", containsString("is not complete"));
        restoreFrom(host, "BAREMETAL", UUID.randomUUID().toString()).then().statusCode(400)
                .body("field", equalTo("backupSet"));
        restoreFrom(host, "BAREMETAL", "last-night").then().statusCode(400).body("field", equalTo("backupSet"));
        String admin = Fixture.backup(host, "ADMIN", null);
        restoreFrom(host, "CONTROLLER", admin).then().statusCode(409).body("field", equalTo("backupSet"))
                .body("message", containsString("does not cover CONTROLLER and BAREMETAL"));
        String other = Fixture.announceHost(hosts);
        restoreFrom(other, "ADMIN", admin).then().statusCode(400).body("message", containsString("belongs to " + host));

        restore("no-such-host", "ADMIN", true).then().statusCode(400).body("field", equalTo("managementHost"));
        given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"failedNodes\":[\"ADMIN\"]}")
                .post("/restores").then().statusCode(400).body("field", equalTo("dryRun"));
        given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"failedNodes\":[\"HEAD\"],"
                + "\"dryRun\":true}").post("/restores").then().statusCode(400)
                .body("field", startsWith("failedNodes"));
        given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"failedNodes\":[],"
                + "\"dryRun\":true}").post("/restores").then().statusCode(400).body("field", equalTo("failedNodes"));
        given().get("/restores?managementHost=" + host).then().body("size()", equalTo(0));
    }

    @Test
    void aFailedRestoreStepStopsTheSagaAndRetryResumesAtThatStep() {
        String host = Fixture.announceHost(hosts);
        Fixture.backup(host, "PAIR", null);
        String id = restore(host, "CONTROLLER").then().statusCode(202).extract().path("id");
        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        Fixture.powerSequenceFinished(off);
        RestoreNode first = Fixture.awaitRestoreNode(host, NodeRole.CONTROLLER, Set.of());
        Fixture.nodeRestoreFailed(first, "vim-cmd solo/registervm exited 1: the datastore is full");

        JsonPath failed = awaitState(id, "FAILED");
        assertEquals(2, failed.getInt("failedStep"));
        assertThat(failed.getString("reason"), containsString("step 2 (restore CONTROLLER Ctrl) failed: vim-cmd "
                + "solo/registervm exited 1: the datastore is full"));
        assertEquals(List.of("SUCCEEDED", "FAILED", "PENDING", "PENDING"), failed.getList("steps.state"));
        assertNull(failed.get("steps[2].commandId"), "nothing after the failed step was sent");
        restore(host, "BAREMETAL").then().statusCode(409).body("message", containsString("retry or abandon it"));

        given().post("/restores/" + id + "/retry").then().statusCode(202).body("state", equalTo("RESTORING"))
                .body("steps[1].state", equalTo("SENT")).body("steps[1].attempts", equalTo(2));
        RestoreNode second = Fixture.awaitRestoreNode(host, NodeRole.CONTROLLER, Set.of(first.commandId()));
        assertNotEquals(first.commandId(), second.commandId(), "a retry sends a new command");
        assertEquals(first.artifactPath(), second.artifactPath());
        Fixture.nodeRestored(first); // a late answer to the failed attempt changes nothing
        Fixture.nodeRestored(second);
        Fixture.nodeRestored(Fixture.awaitRestoreNode(host, NodeRole.BAREMETAL, Set.of()));
        Fixture.powerSequenceFinished(Fixture.awaitPowerSequence(host, PowerDirection.ON, Set.of()));

        JsonPath done = awaitState(id, "SUCCEEDED");
        assertEquals(second.commandId().toString(), done.getString("steps[1].commandId"));
        assertEquals(List.of(PowerDirection.OFF, PowerDirection.ON), Fixture.powerSequencesSent(host).stream()
                .map(StartPowerSequence::direction).toList(), "the power-off was not repeated by the retry");
        // the late answer was consumed before the answers the saga went on with (the same key, the same partition)
        assertEquals(List.of(), Fixture.KAFKA.recordsToEnd(Topics.deadLetter(Topics.EXECUTOR_EVENTS),
                r -> host.equals(r.key())), "the late answer was not dead-lettered");
    }

    @Test
    void aRestoredVmThatComesBackWithOtherMacsOrUnderAnotherVmidFailsTheRestoreWithTheReason() {
        String host = Fixture.announceKvmHost(hosts);
        Fixture.backup(host, "PAIR", null);
        String id = restore(host, "CONTROLLER").then().statusCode(202).extract().path("id");
        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        Fixture.powerSequenceFinished(off);
        RestoreNode first = Fixture.awaitRestoreNode(host, NodeRole.CONTROLLER, Set.of());
        assertEquals(List.of("00:50:56:aa:00:01"), first.expectedMacs());
        Fixture.nodeRestoredAs(first, "34", List.of("52:54:00:12:34:56"));

        JsonPath otherMacs = awaitState(id, "FAILED");
        assertEquals(2, otherMacs.getInt("failedStep"));
        assertThat(otherMacs.getString("reason"), containsString("step 2 (restore CONTROLLER Controller) failed: "
                + "Controller came back with MACs [52:54:00:12:34:56], expected [00:50:56:aa:00:01] as captured at "
                + "backup time"));
        assertEquals(List.of("52:54:00:12:34:56"), otherMacs.getList("steps[1].restoredMacs"));
        assertEquals(List.of("SUCCEEDED", "FAILED", "PENDING", "PENDING"), otherMacs.getList("steps.state"));

        given().post("/restores/" + id + "/retry").then().statusCode(202).body("state", equalTo("RESTORING"));
        RestoreNode second = Fixture.awaitRestoreNode(host, NodeRole.CONTROLLER, Set.of(first.commandId()));
        Fixture.nodeRestoredAs(second, "134", second.expectedMacs());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/restores/" + id).then()
                .body("state", equalTo("FAILED"))
                .body("reason", containsString("Controller was restored as VM id 134, expected VMID 34")));
        given().get("/restores/" + id).then().body("steps[1].restoredVmId", equalTo("134"))
                .body("steps[1].attempts", equalTo(2)).body("steps[2].commandId", nullValue());
        // abandoned, a new restore sends its power-off and its first restore after whatever the failed one sent
        given().post("/restores/" + id + "/abandon").then().statusCode(200);
        restore(host, "CONTROLLER").then().statusCode(202);
        StartPowerSequence again = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of(off.sequenceId()));
        assertEquals(List.of(PowerDirection.OFF, PowerDirection.OFF), Fixture.powerSequencesSent(host).stream()
                .map(StartPowerSequence::direction).toList(), "a host whose node came back wrong is not powered on");
        Fixture.powerSequenceFinished(again);
        RestoreNode third = Fixture.awaitRestoreNode(host, NodeRole.CONTROLLER,
                Set.of(first.commandId(), second.commandId()));
        assertEquals(List.of(first, second, third), Fixture.restoresSent(host),
                "nothing after the mismatched node was restored");
    }

    @Test
    void aFailedPowerOffFailsTheRestoreAndAbandonFreesTheHost() {
        String host = Fixture.announceHost(hosts);
        Fixture.backup(host, "ADMIN", null);
        String id = restore(host, "ADMIN").then().statusCode(202).extract().path("id");
        given().post("/restores/" + id + "/abandon").then().statusCode(409).body("message",
                containsString("only a FAILED restore"));
        StartPowerSequence failedOff = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of());
        Fixture.powerSequenceFailed(failedOff, "CONTROLLER (Ctrl): power off", "Ctrl did not reach OFF within 120 s");

        JsonPath failed = awaitState(id, "FAILED");
        assertEquals(1, failed.getInt("failedStep"));
        assertThat(failed.getString("reason"), containsString("the power-off sequence halted at CONTROLLER (Ctrl): "
                + "power off: Ctrl did not reach OFF within 120 s"));
        given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"scope\":\"PAIR\"}")
                .post("/backups").then().statusCode(409).body("message", containsString("has restore " + id));

        given().post("/restores/" + id + "/abandon").then().statusCode(200).body("state", equalTo("ABANDONED"))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());
        given().post("/restores/" + id + "/retry").then().statusCode(409);
        restore(host, "ADMIN").then().statusCode(202);
        // the new restore's first RestoreNode is the first one sent for the host
        StartPowerSequence off = Fixture.awaitPowerSequence(host, PowerDirection.OFF, Set.of(failedOff.sequenceId()));
        Fixture.powerSequenceFinished(off);
        RestoreNode admin = Fixture.awaitRestoreNode(host, NodeRole.ADMIN, Set.of());
        assertEquals(List.of(admin), Fixture.restoresSent(host), "no node is restored on a host that is not off");
        given().get("/restores/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void answersNobodyWaitsForAndOtherServicesAnswersAreIgnoredNotDeadLettered() {
        String key = "mh-stray-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        Fixture.publish(Topics.EXECUTOR_EVENTS, key, EventTypes.NODE_POWER_OBSERVED, new NodePowerObserved(
                UUID.randomUUID(), UUID.randomUUID(), key, NodeRole.ADMIN, "Admin", "OFF", now));
        Fixture.publish(Topics.EXECUTOR_EVENTS, key, "moonshot.executor.SomethingNewer", Map.of("x", 1));
        Fixture.publish(Topics.EXECUTOR_EVENTS, key, EventTypes.NODE_RESTORED, new NodeRestored(UUID.randomUUID(),
                UUID.randomUUID(), key, NodeRole.ADMIN, "Admin", null, List.of()));
        Fixture.publish(Topics.POWER_EVENTS, key, EventTypes.POWER_SEQUENCE_FINISHED, new PowerSequenceFinished(
                UUID.randomUUID(), key, PowerDirection.ON));
        Fixture.publish(Topics.POWER_EVENTS, key, "moonshot.power.PowerStepStarted", Map.of("x", 1));
        // truly unusable records, last on their partitions: once they are dead-lettered, the others were passed
        Fixture.publish(Topics.EXECUTOR_EVENTS, key, "moonshot.inventory.Whatever", Map.of("x", 1));
        Fixture.KAFKA.send(Topics.POWER_EVENTS, key, "{not json");
        Fixture.publish(Topics.POWER_EVENTS, key, EventTypes.POWER_SEQUENCE_FAILED, Map.of("managementHost", key));

        var executorDead = Fixture.KAFKA.awaitRecords(Topics.deadLetter(Topics.EXECUTOR_EVENTS),
                r -> key.equals(r.key()), 1, Duration.ofSeconds(30));
        assertThat(KafkaProbe.header(executorDead.get(0), "dead-letter-reason"),
                containsString("unknown event type moonshot.inventory.Whatever"));
        var powerDead = Fixture.KAFKA.awaitRecords(Topics.deadLetter(Topics.POWER_EVENTS), r -> key.equals(r.key()),
                2, Duration.ofSeconds(30));
        assertThat(KafkaProbe.header(powerDead.get(0), "dead-letter-reason"), containsString("not JSON"));
        assertThat(KafkaProbe.header(powerDead.get(1), "dead-letter-reason"), containsString("sequenceId is missing"));
        assertEquals(1, Fixture.KAFKA.recordsToEnd(Topics.deadLetter(Topics.EXECUTOR_EVENTS),
                r -> key.equals(r.key())).size());
        assertEquals(2, Fixture.KAFKA.recordsToEnd(Topics.deadLetter(Topics.POWER_EVENTS),
                r -> key.equals(r.key())).size());
    }

    // --- helpers

    private void assertNoRestoreCommandYet(String id, int step) {
        // A step's command id is recorded in the transaction that writes its command to the outbox: no id, no command.
        given().get("/restores/" + id).then().body("steps[" + (step - 1) + "].state", equalTo("PENDING"))
                .body("steps[" + (step - 1) + "].commandId", nullValue());
    }

    static Response restore(String host, String failed) {
        return restore(host, failed, false);
    }

    static Response restore(String host, String failed, boolean dryRun) {
        return given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"failedNodes\":[\""
                + failed + "\"],\"dryRun\":" + dryRun + "}").post("/restores");
    }

    static Response restoreFrom(String host, String failed, String backupSet) {
        return given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"failedNodes\":[\""
                + failed + "\"],\"backupSet\":\"" + backupSet + "\",\"dryRun\":true}").post("/restores");
    }

    static JsonPath awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/restores/" + id).then().body("state", equalTo(state)));
        return given().get("/restores/" + id).then().extract().jsonPath();
    }
}

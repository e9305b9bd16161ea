package moonshot.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.MaintenanceStatus;
import moonshot.contract.Topics;
import moonshot.infra.KafkaProbe;
import moonshot.lab.Fault;
import moonshot.lab.SimulatedHost;
import moonshot.stack.LocalStack;
import moonshot.stack.SeedInventory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups as operators need them, end to end on the lab, both dialects: the nightly pair fired by a policy (the
 * scheduler's clock is set, never waited for), maintenance events from another system through the real broker,
 * retention on the hypervisor, and an executor killed mid-backup. Each test stands alone: one that moves the clock
 * moves it forward from wherever it is and waits until the runs the move fired on the seed hosts have ended.
 */
@ExtendWith(E2EStack.class)
class OperationsTest {

    static LocalStack stack;
    static String scheduler;
    static KafkaProbe kafka;

    @BeforeAll
    static void connect() {
        stack = E2EStack.get();
        scheduler = stack.url("scheduler");
        kafka = new KafkaProbe(stack.infrastructure().kafkaBootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void theNightlyPairFiresByPolicyOnBothHypervisorsWithTheSkewRecorded() {
        Runs.awaitIdle(scheduler, SeedInventory.HOSTS.toArray(String[]::new)); // a busy node would skip the slot
        List<String> esxiBefore = Runs.runIds(scheduler, "mh-esxi");
        List<String> kvmBefore = Runs.runIds(scheduler, "mh-kvm");
        Instant since = Instant.now().minusSeconds(1);
        setClock(Runs.nextAt(Runs.clock(scheduler), 1).plusSeconds(30));

        JsonPath esxiRun = Runs.awaitTerminal(scheduler, Runs.awaitNewRun(scheduler, "mh-esxi", "PAIR", esxiBefore));
        JsonPath kvmRun = Runs.awaitTerminal(scheduler, Runs.awaitNewRun(scheduler, "mh-kvm", "PAIR", kvmBefore));
        Runs.awaitIdle(scheduler, SeedInventory.HOSTS.toArray(String[]::new));
        for (JsonPath run : List.of(esxiRun, kvmRun)) {
            assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
            assertEquals("SCHEDULE", run.getString("trigger"));
            assertThat(run.getString("reason"), containsString("pair-nightly"));
            assertNotNull(run.get("skewMillis"), "the pair's skew is recorded");
            assertNotNull(run.get("skewPrecisionMillis"), "with its precision");
            for (int i = 0; i < 2; i++) {
                assertNotNull(run.get("nodes[" + i + "].snapshotNotBefore"), "witnessed on the hypervisor");
                assertNotNull(run.get("nodes[" + i + "].snapshotNotAfter"));
            }
        }
        assertEquals("vim-cmd vmsvc/snapshot.get", esxiRun.getString("skewSource"));
        assertEquals("true", esxiRun.getString("consistency"), esxiRun.prettify());
        // ESXi: two concurrent xsibackup calls, so each snapshot starts before the other VM's backup is done.
        SimulatedHost esxi = stack.lab().host("esxi-01");
        assertTrue(Runs.labMoment(esxi, "SNAPSHOT_STARTED", "Ctrl", since)
                .isBefore(Runs.labMoment(esxi, "BACKUP_FINISHED", "Bm", since)));
        assertTrue(Runs.labMoment(esxi, "SNAPSHOT_STARTED", "Bm", since)
                .isBefore(Runs.labMoment(esxi, "BACKUP_FINISHED", "Ctrl", since)));
        // KVM: vzdump's per-host lock serialises the two calls; the recorded skew says so instead of hiding it.
        SimulatedHost kvm = stack.lab().host("kvm-01");
        Instant controllerStart = Runs.labMoment(kvm, "SNAPSHOT_STARTED", "Controller", since);
        Instant computeStart = Runs.labMoment(kvm, "SNAPSHOT_STARTED", "Compute", since);
        Instant firstDone = controllerStart.isBefore(computeStart)
                ? Runs.labMoment(kvm, "BACKUP_FINISHED", "Controller", since)
                : Runs.labMoment(kvm, "BACKUP_FINISHED", "Compute", since);
        assertFalse((controllerStart.isBefore(computeStart) ? computeStart : controllerStart).isBefore(firstDone),
                "the second vzdump waited for the first");
        long labSkew = Duration.between(controllerStart, computeStart).abs().toMillis();
        long precision = kvmRun.getLong("skewPrecisionMillis");
        assertEquals(labSkew, kvmRun.getLong("skewMillis"), precision + 50.0,
                "the lab's skew lies within the recorded skew and its precision");
        assertThat(kvmRun.getString("skewSource"), containsString("vzdump"));
        System.out.printf("[e2e] pair skew: ESXi %d ± %d ms (%s, consistent %s), KVM %d ± %d ms (%s, consistent %s); "
                        + "lab: KVM %d ms%n",
                esxiRun.getLong("skewMillis"), esxiRun.getLong("skewPrecisionMillis"), esxiRun.get("skewSource"),
                esxiRun.get("consistency"), kvmRun.getLong("skewMillis"), precision, kvmRun.get("skewSource"),
                kvmRun.get("consistency"), labSkew);
    }

    @Test
    void aMaintenanceEventGivesAFullBackupAndReadyOnceEvenWhenSentTwice() {
        List<String> before = Runs.runIds(scheduler, "mh-kvm");
        String ticket = "CHG-" + System.nanoTime();
        String event = maintenance(EventTypes.MAINTENANCE_SCHEDULED, "mh-kvm", ticket);
        kafka.send(Topics.MAINTENANCE, "mh-kvm", event);
        kafka.send(Topics.MAINTENANCE, "mh-kvm", event);

        ConsumerRecord<String, String> status = awaitStatus(ticket);
        assertEquals(EventTypes.MAINTENANCE_READY, event(status).type());
        String runId = CloudEventCodec.data(event(status), MaintenanceStatus.class).backupRun()
                .toString();
        given().get(scheduler + "/backups/" + runId).then().body("scope", equalTo("FULL"))
                .body("state", equalTo("SUCCEEDED")).body("ticket", equalTo(ticket));
        List<String> after = Runs.runIds(scheduler, "mh-kvm");
        assertEquals(before.size() + 1, after.size(), "one backup for the event delivered twice");
    }

    @Test
    void aFailedBackupBlocksTheMaintenanceWithTheToolsMessage() {
        stack.lab().host("esxi-01").failNext("xsibackup", Fault.DISK_FULL);
        String ticket = "HF-" + System.nanoTime();
        kafka.send(Topics.MAINTENANCE, "mh-esxi", maintenance(EventTypes.MAINTENANCE_HOTFIX, "mh-esxi", ticket));

        ConsumerRecord<String, String> status = awaitStatus(ticket);
        assertEquals(EventTypes.MAINTENANCE_BLOCKED, event(status).type());
        assertThat(CloudEventCodec.data(event(status), MaintenanceStatus.class).reason(),
                containsString("No space left on device"));
    }

    @Test
    void aMalformedEventReachesTheDeadLetterTopicWithItsReason() {
        kafka.send(Topics.MAINTENANCE, "mh-esxi", "{\"specversion\":\"1.0\",\"id\":\"x\"");
        ConsumerRecord<String, String> dead = kafka.awaitRecord(Topics.deadLetter(Topics.MAINTENANCE),
                r -> r.value().equals("{\"specversion\":\"1.0\",\"id\":\"x\""), Duration.ofSeconds(30));
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("not JSON"));
    }

    @Test
    void retentionRemovesOldSetsFromTheHypervisorAndKeepsTheBaseline() throws Exception {
        // a deployment baseline first: retention must never touch it
        String baselineTicket = "DEP-" + System.nanoTime();
        List<String> before = Runs.runIds(scheduler, "mh-kvm");
        kafka.send(Topics.MAINTENANCE, "mh-kvm", maintenance(EventTypes.DEPLOYMENT_SUCCEEDED, "mh-kvm", baselineTicket));
        JsonPath baseline = Runs.awaitTerminal(scheduler, Runs.awaitNewRun(scheduler, "mh-kvm", "FULL", before));
        assertEquals(true, baseline.getBoolean("protectedBaseline"));

        String keepOne = """
                {"managementHost":"mh-kvm","name":"admin-keep-one","scope":"ADMIN","cron":"0 0 4 * * ?","keepLast":1,
                 "enabled":%s}""";
        String policy = given().contentType(ContentType.JSON).body(keepOne.formatted(true))
                .post(scheduler + "/policies").then().statusCode(201).extract().path("id");
        try {
            Instant day = Runs.nextAt(Runs.clock(scheduler), 4).plusSeconds(30);
            List<String> seen = Runs.runIds(scheduler, "mh-kvm");
            setClock(day);
            String policyFirst = Runs.awaitNewRun(scheduler, "mh-kvm", "ADMIN", seen);
            Path policyFirstArchive = Path.of(Runs.awaitTerminal(scheduler, policyFirst)
                    .getString("nodes[0].artifactPath"));
            seen = Runs.runIds(scheduler, "mh-kvm");
            setClock(day.plus(Duration.ofDays(1)));
            Runs.awaitTerminal(scheduler, Runs.awaitNewRun(scheduler, "mh-kvm", "ADMIN", seen));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(scheduler + "/backups/"
                    + policyFirst).then().body("retentionState", equalTo("DELETED")));
            assertFalse(Files.exists(policyFirstArchive), "the old set is gone from the lab host");
            for (int i = 0; i < 3; i++) {
                assertTrue(Files.exists(Path.of(baseline.getString("nodes[" + i + "].artifactPath"))),
                        "the baseline stays on the hypervisor");
            }
            given().get(scheduler + "/backups/" + baseline.getString("id")).then()
                    .body("retentionState", equalTo("KEPT"));
        } finally {
            // the policy fires no more when another test moves the clock; the nights this move passed have ended
            given().contentType(ContentType.JSON).body(keepOne.formatted(false)).put(scheduler + "/policies/" + policy)
                    .then().statusCode(200);
            Runs.awaitIdle(scheduler, SeedInventory.HOSTS.toArray(String[]::new));
        }
    }

    @Test
    void anExecutorKilledMidBackupLeavesTheRunResolvedAfterItsRestart() throws Exception {
        SimulatedHost kvm = stack.lab().host("kvm-01");
        kvm.setBackupDuration(Duration.ofSeconds(20));
        try {
            Instant since = Instant.now().minusSeconds(1);
            String runId = Runs.request(scheduler, "mh-kvm", "ADMIN");
            await().atMost(Duration.ofSeconds(60)).until(() -> kvm.actions().stream().anyMatch(a ->
                    a.action().equals("SNAPSHOT_STARTED") && "Admin_node".equals(a.details().get("vm"))
                            && a.at().isAfter(since)));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> partialArchives(kvm.backupTarget()) > 0);
            stack.service("executor").kill(); // SIGKILL, mid-copy: vzdump leaves the .dat it was writing
            given().get(scheduler + "/backups/" + runId).then().body("state", equalTo("RUNNING"));

            stack.service("executor").restart();
            JsonPath run = Runs.awaitTerminal(scheduler, runId);
            assertEquals("FAILED", run.getString("state"));
            assertThat(run.getString("nodes[0].message"), containsString("stopped while this backup was running"));
            assertThat(run.getString("nodes[0].message"), containsString("removed the partial artifact"));
            assertEquals(0, partialArchives(kvm.backupTarget()), "no partial archive is left on the hypervisor");
        } finally {
            kvm.setBackupDuration(Duration.ofMillis(800));
        }
    }

    static long partialArchives(Path dumpDir) throws java.io.IOException {
        try (var files = Files.walk(dumpDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".dat")).count();
        }
    }

    static void setClock(Instant now) {
        given().contentType(ContentType.JSON).body("{\"now\":\"" + now + "\"}").put(scheduler + "/admin/clock")
                .then().statusCode(200);
    }

    static String maintenance(String type, String host, String ticket) {
        return CloudEventCodec.encode(CloudEvent.of("/codn/patch-manager", type, null,
                new MaintenanceRequest(host, ticket, false, "ops@example.com"), Instant.now()));
    }

    static ConsumerRecord<String, String> awaitStatus(String ticket) {
        return kafka.awaitRecord(Topics.MAINTENANCE_STATUS,
                r -> ticket.equals(event(r).subject()), Duration.ofSeconds(120));
    }

    /** The records here are structured-mode CloudEvents (the outbox writes them so). */
    static CloudEvent event(ConsumerRecord<String, String> record) {
        return CloudEventCodec.decode(record.value(), java.util.Map.of());
    }
}

package moonshot.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.Topics;
import moonshot.infra.KafkaProbe;
import moonshot.lab.LabAction;
import moonshot.lab.SimulatedHost;
import moonshot.stack.LocalStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power sequences and restores end to end on the lab, both dialects: the lab's action log is the witness of the
 * order in which the hypervisors were told to power what. Each test stands alone: it powers the seed hosts it needs
 * on first, takes the backups it restores from, and leaves mh-esxi and mh-kvm powered on with no restore open.
 */
@ExtendWith(E2EStack.class)
class PowerAndRestoreTest {

    static LocalStack stack;
    static String power;
    static String scheduler;
    static KafkaProbe kafka;

    @BeforeAll
    static void connect() {
        stack = E2EStack.get();
        power = stack.url("power");
        scheduler = stack.url("scheduler");
        kafka = new KafkaProbe(stack.infrastructure().kafkaBootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void powersKvmOffInTheOneOrderThenOnWaitingForDeployedByEvent() {
        poweredOn("mh-kvm");
        SimulatedHost kvm = stack.lab().host("kvm-01");
        Instant since = Instant.now();
        JsonPath off = sequence("mh-kvm", "OFF");
        assertEquals("SUCCEEDED", off.getString("state"), off.prettify());
        assertOrder(kvm, since, "POWERED_OFF", List.of("Compute", "Controller", "Admin_node"));
        assertCommandAfterPreviousConfirmation(kvm, since, List.of("Compute", "Controller", "Admin_node"),
                "POWERED_OFF");
        assertTrue(List.of("Compute", "Controller", "Admin_node").stream().noneMatch(kvm::isPoweredOn));

        Instant onSince = Instant.now();
        JsonPath on = sequence("mh-kvm", "ON");
        assertEquals("SUCCEEDED", on.getString("state"), on.prettify());
        assertOrder(kvm, onSince, "POWERED_ON", List.of("Admin_node", "Controller", "Compute"));
        // Compute was started only after Controller was Deployed (reported by the dashboard's event)
        assertTrue(moment(kvm, onSince, "DEPLOYED", "Controller").isBefore(moment(kvm, onSince, "POWERING_ON", "Compute"))
                || moment(kvm, onSince, "DEPLOYED", "Controller").equals(moment(kvm, onSince, "POWERING_ON", "Compute")));
    }

    @Test
    void powersEsxiOffAndOnWaitingForDeployedByProbe() {
        poweredOn("mh-esxi");
        SimulatedHost esxi = stack.lab().host("esxi-01");
        Instant since = Instant.now();
        assertEquals("SUCCEEDED", sequence("mh-esxi", "OFF").getString("state"));
        assertOrder(esxi, since, "POWERED_OFF", List.of("Bm", "Ctrl", "Admin"));
        Instant onSince = Instant.now();
        assertEquals("SUCCEEDED", sequence("mh-esxi", "ON").getString("state"));
        assertOrder(esxi, onSince, "POWERED_ON", List.of("Admin", "Ctrl", "Bm"));
        assertTrue(!moment(esxi, onSince, "POWERING_ON", "Bm").isBefore(moment(esxi, onSince, "DEPLOYED", "Ctrl")),
                "Bm waited for Ctrl to be Deployed (its readiness probe)");
    }

    @Test
    void aStepThatTimesOutHaltsTheSequence() {
        poweredOn("mh-esxi");
        SimulatedHost esxi = stack.lab().host("esxi-01");
        assertEquals("SUCCEEDED", sequence("mh-esxi", "OFF").getString("state"));
        esxi.setDeployDelay(Duration.ofMinutes(10)); // Ctrl never gets Deployed within the 20 s step timeout
        try {
            Instant since = Instant.now();
            JsonPath on = sequence("mh-esxi", "ON");
            assertEquals("FAILED", on.getString("state"), on.prettify());
            assertTrue(esxi.actions().stream().noneMatch(a -> a.at().isAfter(since)
                    && a.action().equals("POWERING_ON") && "Bm".equals(a.details().get("vm"))),
                    "BAREMETAL was never powered on after CONTROLLER timed out");
        } finally {
            esxi.setDeployDelay(Duration.ofMillis(500));
        }
        // Ctrl is on but its deployment is still ten minutes away: power the host off and on to bring it back
        assertEquals("SUCCEEDED", sequence("mh-esxi", "OFF").getString("state"));
        assertEquals("SUCCEEDED", sequence("mh-esxi", "ON").getString("state"));
    }

    @Test
    void aDryRunLeavesTheLabUntouchedAndNoCompleteSetIsARefusal() {
        poweredOn("mh-esxi");
        // a host of its own with no backup yet, removed again so that its nightly pair never runs beside mh-esxi's
        String fresh = "mh-new-" + System.nanoTime();
        given().contentType(ContentType.JSON).body("""
                        {"name":"%s","hypervisor":"esxi-01","nodes":[{"role":"ADMIN","vmName":"Admin"},
                         {"role":"CONTROLLER","vmName":"Ctrl"},{"role":"BAREMETAL","vmName":"Bm"}]}""".formatted(fresh))
                .post(stack.url("inventory") + "/management-hosts").then().statusCode(201);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().contentType(ContentType.JSON)
                    .body("{\"managementHost\":\"" + fresh + "\",\"failedNodes\":[\"CONTROLLER\"],\"dryRun\":true}")
                    .post(scheduler + "/restores").then().statusCode(409)
                    .body("message", containsString("no complete backup set")));
        } finally {
            given().delete(stack.url("inventory") + "/management-hosts/" + fresh).then().statusCode(204);
        }

        Runs.awaitTerminal(scheduler, Runs.request(scheduler, "mh-esxi", "PAIR"));
        int before = stack.lab().host("esxi-01").actions().size();
        given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"mh-esxi\",\"failedNodes\":[\"CONTROLLER\"],\"dryRun\":true}")
                .post(scheduler + "/restores").then().statusCode(200);
        // The dry run only read: the artifact check listed the copies and measured them, and nothing else ran.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
            List<LabAction> after = stack.lab().host("esxi-01").actions().stream().skip(before).toList();
            return after.stream().allMatch(PowerAndRestoreTest::isReadOnly);
        });
        List<String> ran = stack.lab().host("esxi-01").actions().stream().skip(before)
                .filter(a -> a.action().equals("EXEC")).map(PowerAndRestoreTest::sent).toList();
        assertTrue(ran.stream().anyMatch(c -> c.startsWith("ls -1 -- ")) && ran.stream().anyMatch(c -> c.contains(
                "sha256sum")), "the artifacts were checked on the hypervisor: " + ran);
    }

    private static final java.util.regex.Pattern PID_PREAMBLE = java.util.regex.Pattern.compile(
            "echo 'moonshot-pid [0-9a-f]{16}' \\$\\$ >&2; exec sh -c '(.*)'", java.util.regex.Pattern.DOTALL);

    /** The command the executor sent, without the preamble by which each command reports its PID. */
    static String sent(LabAction exec) {
        String command = exec.detail("command");
        var wrapped = PID_PREAMBLE.matcher(command);
        return wrapped.matches() ? wrapped.group(1).replace("'\\''", "'") : command;
    }

    /** An SSH command that only reads (a listing or the size-and-checksum measurement), or its end. */
    static boolean isReadOnly(LabAction action) {
        if (action.tool().equals("ssh") && action.action().equals("EXITED")) {
            return true;
        }
        if (!action.tool().equals("ssh") || !action.action().equals("EXEC")) {
            return false;
        }
        String command = sent(action);
        return command.startsWith("ls -1 -- ") || command.startsWith("p=") && command.contains("sha256sum")
                && !command.contains("rm ");
    }

    @Test
    void restoringAFailedControllerRestoresBothPairMembersFromOneSetWithTheirMacs() {
        poweredOn("mh-esxi");
        SimulatedHost esxi = stack.lab().host("esxi-01");
        String pairRun = Runs.request(scheduler, "mh-esxi", "PAIR");
        JsonPath backup = Runs.awaitTerminal(scheduler, pairRun);
        assertEquals("SUCCEEDED", backup.getString("state"));
        List<String> ctrlMacs = esxi.macs("Ctrl");
        List<String> bmMacs = esxi.macs("Bm");
        esxi.corrupt("Ctrl");

        Instant since = Instant.now();
        JsonPath restore = restore("mh-esxi", "CONTROLLER");
        assertEquals("SUCCEEDED", restore.getString("state"), restore.prettify());
        List<String> restored = esxi.actions().stream()
                .filter(a -> a.at().isAfter(since) && a.action().equals("REGISTERED"))
                .map(a -> a.details().get("vm")).toList();
        assertTrue(restored.containsAll(List.of("Ctrl", "Bm")), "both pair members re-registered: " + restored);
        assertEquals(ctrlMacs, esxi.macs("Ctrl"));
        assertEquals(bmMacs, esxi.macs("Bm"));
        assertTrue(esxi.isPoweredOn("Admin") && esxi.isPoweredOn("Ctrl") && esxi.isPoweredOn("Bm"),
                "the nodes are back in service");
    }

    @Test
    void restoringAdminRestoresAdminAlone() {
        poweredOn("mh-kvm");
        SimulatedHost kvm = stack.lab().host("kvm-01");
        Runs.awaitTerminal(scheduler, Runs.request(scheduler, "mh-kvm", "ADMIN"));
        kvm.corrupt("Admin_node");
        Instant since = Instant.now();
        JsonPath restore = restore("mh-kvm", "ADMIN");
        assertEquals("SUCCEEDED", restore.getString("state"), restore.prettify());
        assertTrue(restore.getString("steps[1].artifactPath").endsWith(".tgz"),
                "vzdump 1.x with --compress writes .tgz, and that is what was restored: " + restore.prettify());
        List<String> restored = kvm.actions().stream()
                .filter(a -> a.at().isAfter(since) && a.action().equals("RESTORE_FINISHED"))
                .map(a -> a.details().get("vm")).toList();
        assertEquals(List.of("Admin_node"), restored);
        assertTrue(kvm.isPoweredOn("Admin_node") && kvm.isPoweredOn("Controller") && kvm.isPoweredOn("Compute"));
    }

    @Test
    void maintenanceWithPowerOffGoesBackupPowerOffReadyCompletedPowerOnFinished() {
        poweredOn("mh-kvm");
        SimulatedHost kvm = stack.lab().host("kvm-01");
        String ticket = "CHG-PWR-" + System.nanoTime();
        kafka.send(Topics.MAINTENANCE, "mh-kvm", maintenance(EventTypes.MAINTENANCE_UPGRADE, ticket, true));
        ConsumerRecord<String, String> ready = status(ticket, EventTypes.MAINTENANCE_READY);
        assertTrue(List.of("Admin_node", "Controller", "Compute").stream().noneMatch(kvm::isPoweredOn),
                "the host is off when ready is published");
        assertEquals("mh-kvm", ready.key());

        kafka.send(Topics.MAINTENANCE, "mh-kvm", maintenance(EventTypes.MAINTENANCE_COMPLETED, ticket, true));
        status(ticket, EventTypes.MAINTENANCE_FINISHED);
        assertTrue(List.of("Admin_node", "Controller", "Compute").stream().allMatch(kvm::isPoweredOn));
    }

    @Test
    void aPowerServiceKilledMidSequenceFinishesInOrderWithoutRepeatingACommand() throws Exception {
        poweredOn("mh-esxi");
        SimulatedHost esxi = stack.lab().host("esxi-01");
        esxi.setPowerDelay(Duration.ofSeconds(3));
        try {
            Instant since = Instant.now();
            String id = given().contentType(ContentType.JSON)
                    .body("{\"managementHost\":\"mh-esxi\",\"direction\":\"OFF\",\"includeHypervisor\":false}")
                    .post(power + "/power-sequences").then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(60)).until(() -> esxi.actions().stream().anyMatch(a ->
                    a.at().isAfter(since) && a.action().equals("POWERED_OFF") && "Bm".equals(a.details().get("vm"))));
            stack.service("power").kill();
            stack.service("power").restart();
            JsonPath done = awaitSequence(id);
            assertEquals("SUCCEEDED", done.getString("state"), done.prettify());
            assertOrder(esxi, since, "POWERED_OFF", List.of("Bm", "Ctrl", "Admin"));
            for (String vm : List.of("Bm", "Ctrl", "Admin")) {
                long commands = esxi.actions().stream().filter(a -> a.at().isAfter(since) && vm.equals(
                        a.details().get("vm")) && a.action().equals("SHUTTING_DOWN")).count();
                assertEquals(1, commands, vm + " was told to shut down exactly once");
            }
        } finally {
            esxi.setPowerDelay(Duration.ofMillis(300));
        }
        assertEquals("SUCCEEDED", sequence("mh-esxi", "ON").getString("state"));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Powers {@code host}'s nodes on if the lab has any of them off (a test that failed halfway may have left it). */
    static void poweredOn(String host) {
        SimulatedHost lab = stack.lab().host(host.equals("mh-kvm") ? "kvm-01" : "esxi-01");
        List<String> vms = host.equals("mh-kvm") ? List.of("Admin_node", "Controller", "Compute")
                : List.of("Admin", "Ctrl", "Bm");
        if (!vms.stream().allMatch(lab::isPoweredOn)) {
            JsonPath on = sequence(host, "ON");
            assertEquals("SUCCEEDED", on.getString("state"), on.prettify());
        }
    }

    static JsonPath sequence(String host, String direction) {
        String id = given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"" + host + "\",\"direction\":\"" + direction + "\",\"includeHypervisor\":false}")
                .post(power + "/power-sequences").then().statusCode(202).extract().path("id");
        return awaitSequence(id);
    }

    static JsonPath awaitSequence(String id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() ->
                given().get(power + "/power-sequences/" + id).path("state").toString().matches("SUCCEEDED|FAILED"));
        return given().get(power + "/power-sequences/" + id).then().extract().jsonPath();
    }

    @Test
    void aChangedArtifactIsSkippedForTheNextCompleteSetAndARestoreThatCannotSucceedPowersNothingOff()
            throws Exception {
        poweredOn("mh-kvm");
        SimulatedHost kvm = stack.lab().host("kvm-01");
        JsonPath older = Runs.awaitTerminal(scheduler, Runs.request(scheduler, "mh-kvm", "ADMIN"));
        JsonPath newer = Runs.awaitTerminal(scheduler, Runs.request(scheduler, "mh-kvm", "ADMIN"));
        assertEquals("SUCCEEDED", newer.getString("state"), newer.prettify());
        Path tampered = Path.of(newer.getString("nodes[0].artifactPath"));
        Files.write(tampered, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        int actionsBefore = kvm.actions().size();
        given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"mh-kvm\",\"failedNodes\":[\"ADMIN\"],\"dryRun\":true}")
                .post(scheduler + "/restores").then().statusCode(200)
                .body("steps[1].backupSet", equalTo(older.getString("id")))
                .body("skippedSets[0].backupSet", equalTo(newer.getString("id")))
                .body("skippedSets[0].reason", containsString("changed since the backup"))
                .body("skippedSets[0].reason", containsString(tampered.toString()));

        // Every ADMIN artifact of mh-kvm gone: the restore is refused before anything is powered off.
        for (String path : given().get(scheduler + "/catalog?managementHost=mh-kvm&role=ADMIN").then()
                .statusCode(200).extract().jsonPath().<String>getList("artifactPath")) {
            Files.deleteIfExists(Path.of(path));
        }
        given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"mh-kvm\",\"failedNodes\":[\"ADMIN\"],\"dryRun\":false}")
                .post(scheduler + "/restores").then().statusCode(409)
                .body("message", containsString("nothing was powered off"));
        assertTrue(kvm.actions().stream().skip(actionsBefore).noneMatch(a -> a.action().equals("SHUTTING_DOWN")
                || a.action().startsWith("POWER")), "no power command reached the hypervisor");
        assertTrue(List.of("Admin_node", "Controller", "Compute").stream().allMatch(kvm::isPoweredOn));
    }

    static JsonPath restore(String host, String failed) {
        return restore(scheduler, host, failed);
    }

    /** Starts a restore of {@code failed} on {@code host} and waits until it has ended. */
    static JsonPath restore(String scheduler, String host, String failed) {
        String id = given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"" + host + "\",\"failedNodes\":[\"" + failed + "\"],\"dryRun\":false}")
                .post(scheduler + "/restores").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().get(scheduler + "/restores/" + id).path("state").toString()
                        .matches("SUCCEEDED|FAILED|ABANDONED"));
        return given().get(scheduler + "/restores/" + id).then().extract().jsonPath();
    }

    static void assertOrder(SimulatedHost host, Instant since, String action, List<String> vms) {
        List<String> seen = host.actions().stream()
                .filter(a -> a.at().isAfter(since) && a.action().equals(action) && vms.contains(a.details().get("vm")))
                .map(a -> a.details().get("vm")).distinct().toList();
        assertEquals(vms, seen, action + " order on " + host.name());
    }

    /** Each VM's power command came after the previous VM's confirmed state. */
    static void assertCommandAfterPreviousConfirmation(SimulatedHost host, Instant since, List<String> vms,
                                                       String confirmation) {
        for (int i = 1; i < vms.size(); i++) {
            Instant confirmed = moment(host, since, confirmation, vms.get(i - 1));
            String vm = vms.get(i);
            Instant commanded = host.actions().stream()
                    .filter(a -> a.at().isAfter(since) && vm.equals(a.details().get("vm"))
                            && (a.action().equals("SHUTTING_DOWN") || a.action().equals("POWERING_OFF")))
                    .map(LabAction::at).findFirst().orElseThrow();
            assertTrue(!commanded.isBefore(confirmed), vm + " commanded at " + commanded + " before "
                    + vms.get(i - 1) + " was confirmed at " + confirmed);
        }
    }

    static Instant moment(SimulatedHost host, Instant since, String action, String vm) {
        return host.actions().stream()
                .filter(a -> a.at().isAfter(since) && a.action().equals(action) && vm.equals(a.details().get("vm")))
                .map(LabAction::at).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " for " + vm + " since " + since));
    }

    static String maintenance(String type, String ticket, boolean powerOff) {
        return CloudEventCodec.encode(CloudEvent.of("/codn/patch-manager", type, null,
                new MaintenanceRequest("mh-kvm", ticket, powerOff, "ops@example.com"), Instant.now()));
    }

    static ConsumerRecord<String, String> status(String ticket, String type) {
        return kafka.awaitRecord(Topics.MAINTENANCE_STATUS, r -> {
            CloudEvent event = CloudEventCodec.decode(r.value(), Map.of());
            return ticket.equals(event.subject()) && type.equals(event.type());
        }, Duration.ofSeconds(180));
    }
}

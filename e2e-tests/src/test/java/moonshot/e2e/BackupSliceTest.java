package moonshot.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import moonshot.lab.Fault;
import moonshot.lab.LabAction;
import moonshot.lab.SimulatedHost;
import moonshot.stack.LocalStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first vertical slice through real parts: inventory over REST, a backup asked of the scheduler, carried out
 * by the executor over SSH on the lab with a pinned host key, its outcome back on the scheduler's API; every hop
 * through the real broker.
 */
@ExtendWith(E2EStack.class)
class BackupSliceTest {

    static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = E2EStack.get();
    }

    @Test
    void inventoryRefusesAnUnknownRoleAndADuplicateNameWithTheField() {
        given().contentType(ContentType.JSON).body("""
                        {"name":"mh-x","hypervisor":"esxi-01","nodes":[{"role":"ADMIN","vmName":"A"},
                         {"role":"STORAGE","vmName":"S"},{"role":"BAREMETAL","vmName":"B"}]}""")
                .post(stack.url("inventory") + "/management-hosts")
                .then().statusCode(400).body("field", equalTo("nodes[1].role"));
        given().contentType(ContentType.JSON).body("""
                        {"name":"mh-esxi","hypervisor":"esxi-01","nodes":[{"role":"ADMIN","vmName":"A"},
                         {"role":"CONTROLLER","vmName":"C"},{"role":"BAREMETAL","vmName":"B"}]}""")
                .post(stack.url("inventory") + "/management-hosts")
                .then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void backsUpTheAdminNodeOnEsxiWithXsibackup() throws Exception {
        SimulatedHost esxi = stack.lab().host("esxi-01");
        JsonPath run = backUpAndAwait("mh-esxi", "SUCCEEDED");

        String artifact = run.getString("nodes[0].artifactPath");
        assertTrue(artifact.startsWith(esxi.backupTarget().toString()) && artifact.endsWith("/Admin"), artifact);
        assertTrue(Files.isRegularFile(Path.of(artifact, "Admin.vmx")), "the backup folder holds the VM's .vmx");
        assertMeasuredAsOnDisk(run, artifact);
        assertTrue(esxi.actions().stream().anyMatch(a -> snapshotOf(a, "Admin")),
                "the lab saw xsibackup snapshot Admin");
    }

    @Test
    void backsUpTheAdminNodeOnKvmWithVzdump() throws Exception {
        SimulatedHost kvm = stack.lab().host("kvm-01");
        JsonPath run = backUpAndAwait("mh-kvm", "SUCCEEDED");

        String artifact = run.getString("nodes[0].artifactPath");
        assertTrue(artifact.startsWith(kvm.backupTarget().toString()) && artifact.contains("vzdump-qemu-33-"),
                artifact);
        assertTrue(Files.isRegularFile(Path.of(artifact)));
        assertMeasuredAsOnDisk(run, artifact);
        assertTrue(kvm.actions().stream().anyMatch(a -> a.action().equals("SNAPSHOT_STARTED")),
                "the lab saw vzdump snapshot the VM");
    }

    @Test
    void aFailingCommandEndsTheRunFailedWithTheToolsOwnMessage() {
        stack.lab().host("esxi-01").failNext("xsibackup", Fault.DISK_FULL);
        JsonPath run = backUpAndAwait("mh-esxi", "FAILED");
        assertEquals("FAILED", run.getString("nodes[0].state"));
        org.hamcrest.MatcherAssert.assertThat(run.getString("nodes[0].message"),
                containsString("No space left on device"));
    }

    @Test
    void aFailingVzdumpEndsTheRunFailedWithTheToolsOwnMessage() {
        stack.lab().host("kvm-01").failNext("vzdump", Fault.SNAPSHOT_ERROR);
        JsonPath run = backUpAndAwait("mh-kvm", "FAILED");
        assertNotNull(run.getString("nodes[0].message"));
        assertTrue(run.getString("nodes[0].message").startsWith("exited "), run.getString("nodes[0].message"));
    }

    /** Asks for an ADMIN backup (retrying while the scheduler has not yet heard of the host) and waits for the end. */
    static JsonPath backUpAndAwait(String host, String expectedState) {
        String scheduler = stack.url("scheduler");
        String[] runId = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            var response = given().contentType(ContentType.JSON)
                    .body("{\"managementHost\":\"" + host + "\",\"scope\":\"ADMIN\",\"reason\":\"e2e\"}")
                    .post(scheduler + "/backups");
            if (response.statusCode() == 202) {
                runId[0] = response.path("id");
                return true;
            }
            return false;
        });
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                !given().get(scheduler + "/backups/" + runId[0]).path("state").toString().matches("QUEUED|RUNNING"));
        JsonPath run = given().get(scheduler + "/backups/" + runId[0]).then().statusCode(200).extract().jsonPath();
        assertEquals(expectedState, run.getString("state"), () -> "run " + run.prettify());
        assertNotNull(run.getString("finishedAt"));
        return run;
    }

    /** The size and checksum the run reports are those of the artifact on the hypervisor's disk. */
    static void assertMeasuredAsOnDisk(JsonPath run, String artifact) throws Exception {
        var process = new ProcessBuilder("/bin/sh", "-c",
                "p='" + artifact + "'; if [ -d \"$p\" ]; then du -sb \"$p\" | cut -f1; else stat -c %s \"$p\"; fi")
                .start();
        long size = Long.parseLong(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        assertEquals(size, run.getLong("nodes[0].sizeBytes"));
        assertTrue(run.getString("nodes[0].sha256").matches("[0-9a-f]{64}"));
        if (Files.isRegularFile(Path.of(artifact))) {
            var digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(artifact)));
            assertEquals(java.util.HexFormat.of().formatHex(digest), run.getString("nodes[0].sha256"));
        }
    }

    static boolean snapshotOf(LabAction action, String vm) {
        return action.action().equals("SNAPSHOT_STARTED") && vm.equals(action.details().get("vm"));
    }
}

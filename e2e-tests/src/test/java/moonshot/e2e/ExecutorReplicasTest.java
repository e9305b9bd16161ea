package moonshot.e2e;

import io.restassured.path.json.JsonPath;
import moonshot.stack.Fleet;
import moonshot.stack.LocalStack;
import moonshot.stack.ServiceProcess;
import moonshot.stack.StackOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two executor replicas (one consumer group, one database) share a 20-host fleet's backups; one of them is killed
 * (SIGKILL) mid-work and never comes back under its name. No run is lost: every run ends, those the killed replica
 * held end within its lease, and every host is free for its next backup. A stack of its own (the shared one runs one
 * executor).
 */
class ExecutorReplicasTest {

    static LocalStack stack;
    static List<String> fleet;

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("moonshot.root", "..")).toAbsolutePath().normalize();
        Path workDir = root.resolve("e2e-tests/target/replicas-" + ProcessHandle.current().pid());
        stack = LocalStack.start(StackOptions.forTests(root, workDir).withReplicas("executor", 2));
        // two management hosts per hypervisor: two PAIR backups at once keep within the 8 SSH channels the executor
        // opens per hypervisor (see the executor README: a channel budget per hypervisor is still to come)
        fleet = Fleet.add(stack, 10, 2, Duration.ofSeconds(4), Duration.ofMillis(300));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoExecutorsShareAFleetAndKillingOneLosesNoRun() {
        String scheduler = stack.url("scheduler");
        String executor = stack.url("executor");
        ServiceProcess doomed = stack.replicas("executor").get(1);
        assertEquals(2, stack.replicas("executor").size());

        Map<String, String> runs = new LinkedHashMap<>();
        for (String host : fleet) {
            runs.put(host, Runs.request(scheduler, host, "PAIR"));
        }
        // both replicas have work in hand before one of them dies
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                runningOwners(executor).containsAll(Set.of("executor-1", "executor-2")));
        Set<String> heldByDoomed = runningHosts(executor, "executor-2");
        doomed.kill();

        List<String> notSucceeded = new ArrayList<>();
        for (var run : runs.entrySet()) {
            JsonPath ended = Runs.awaitTerminal(scheduler, run.getValue());
            String state = ended.getString("state");
            assertTrue(state.matches("SUCCEEDED|PARTIALLY_FAILED|FAILED"), run.getKey() + " ended " + state);
            if (!state.equals("SUCCEEDED")) {
                notSucceeded.add(run.getKey() + " " + state + ": " + ended.getString("nodes.message"));
            }
        }
        System.out.printf("[e2e] replicas: %d runs, %d held by the killed executor (%s), not succeeded: %s%n",
                runs.size(), heldByDoomed.size(), heldByDoomed, notSucceeded);
        for (String failed : notSucceeded) {
            String host = failed.substring(0, failed.indexOf(' '));
            assertTrue(heldByDoomed.contains(host), "only a run the killed executor held may fail: " + failed);
            assertTrue(failed.contains("lease"), "the failure says the executor's lease ran out: " + failed);
        }
        // every host is free again: a second round is accepted and carried out by the replica that is left
        for (String host : fleet.subList(0, 5)) {
            JsonPath again = Runs.awaitTerminal(scheduler, Runs.request(scheduler, host, "ADMIN"));
            assertEquals("SUCCEEDED", again.getString("state"), host + ": " + again.prettify());
        }
    }

    private static Set<String> runningOwners(String executor) {
        Set<String> owners = new HashSet<>();
        List<Map<String, Object>> executions = given().get(executor + "/executions?size=500").then().statusCode(200)
                .extract().path("");
        for (Map<String, Object> execution : executions) {
            if ("RUNNING".equals(execution.get("state")) && execution.get("owner") != null) {
                owners.add(execution.get("owner").toString());
            }
        }
        return owners;
    }

    private static Set<String> runningHosts(String executor, String owner) {
        Set<String> hosts = new HashSet<>();
        List<Map<String, Object>> executions = given().get(executor + "/executions?size=500").then().statusCode(200)
                .extract().path("");
        for (Map<String, Object> execution : executions) {
            if ("RUNNING".equals(execution.get("state")) && owner.equals(execution.get("owner"))) {
                hosts.add(execution.get("managementHost").toString());
            }
        }
        return hosts;
    }
}

package moonshot.e2e;

import io.restassured.path.json.JsonPath;
import moonshot.lab.SimulatedHost;
import moonshot.stack.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery through inventory, the broker and the executor's SSH: each node's MACs as the hypervisor holds them. */
@ExtendWith(E2EStack.class)
class DiscoveryTest {

    @Test
    void discoveryCapturesTheLabsMacsOnBothHypervisors() {
        LocalStack stack = E2EStack.get();
        for (var host : Map.of("mh-esxi", "esxi-01", "mh-kvm", "kvm-01").entrySet()) {
            SimulatedHost lab = stack.lab().host(host.getValue());
            String inventory = stack.url("inventory");
            String id = given().post(inventory + "/management-hosts/" + host.getKey() + "/discovery").then()
                    .statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> !"REQUESTED"
                    .equals(given().get(inventory + "/management-hosts/" + host.getKey() + "/discovery/" + id)
                            .path("state")));
            JsonPath discovery = given().get(inventory + "/management-hosts/" + host.getKey() + "/discovery/" + id)
                    .then().extract().jsonPath();
            assertEquals("COMPLETED", discovery.getString("state"), discovery.prettify());
            List<Map<String, Object>> nodes = discovery.getList("nodes");
            assertEquals(3, nodes.size());
            for (Map<String, Object> node : nodes) {
                String vm = (String) node.get("vmName");
                assertTrue((Boolean) node.get("found"), vm + " found on " + host.getValue());
                assertEquals(lab.macs(vm), node.get("macs"), "MACs of " + vm);
                assertTrue((Boolean) node.get("configCaptured"), "config of " + vm + " captured");
            }
        }
    }
}

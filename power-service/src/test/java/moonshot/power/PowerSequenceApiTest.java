package moonshot.power;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import moonshot.infra.InfrastructureTestResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "power"))
class PowerSequenceApiTest {

    @Test
    void powersOffBaremetalBeforeControllerBeforeAdminAndTheHypervisorLast() {
        given().get("/power-sequences/plan?direction=OFF&includeHypervisor=true").then().statusCode(200)
                .body("steps.target", contains("BAREMETAL", "CONTROLLER", "ADMIN", "HYPERVISOR"));
    }

    @Test
    void powersOnAdminFirstAndWaitsForDeployedControllerBeforeBaremetal() {
        given().get("/power-sequences/plan?direction=ON").then().statusCode(200)
                .body("steps.target", contains("ADMIN", "CONTROLLER", "BAREMETAL"))
                .body("steps.waitFor", contains("on", "Deployed", "Deployed"));
    }

    @Test
    void refusesAnUnknownDirectionNamingTheParameter() {
        given().get("/power-sequences/plan?direction=SIDEWAYS").then().statusCode(400)
                .body("field", equalTo("direction"));
    }

    @Test
    void refusesBadInputNamingTheField() {
        given().contentType("application/json").body("{\"managementHost\":\"no-such-host\",\"direction\":\"OFF\"}")
                .post("/power-sequences").then().statusCode(400).body("field", equalTo("managementHost"))
                .body("message", containsString("unknown management host"));
        given().contentType("application/json").body("{\"managementHost\":\"mh\",\"direction\":\"SIDEWAYS\"}")
                .post("/power-sequences").then().statusCode(400).body("field", equalTo("direction"));
        given().contentType("application/json").body("{\"direction\":\"ON\"}")
                .post("/power-sequences").then().statusCode(400).body("field", equalTo("managementHost"));
        given().contentType("application/json")
                .body("{\"managementHost\":\"mh\",\"direction\":\"ON\",\"includeHypervisor\":\"maybe\"}")
                .post("/power-sequences").then().statusCode(400);
        given().get("/power-sequences/not-a-uuid").then().statusCode(400).body("field", equalTo("id"));
        given().get("/power-sequences/" + java.util.UUID.randomUUID()).then().statusCode(404);
        given().get("/power-sequences").then().statusCode(200);
        given().get("/power-sequences?state=DONE").then().statusCode(400).body("message", containsString("state"));
    }

    @Test
    void isReadyOnlyWithItsDatabaseAndBroker() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka broker"));
    }
}

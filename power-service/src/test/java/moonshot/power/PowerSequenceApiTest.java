package moonshot.power;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import moonshot.infra.InfrastructureTestResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
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
    void isReadyOnlyWithItsDatabaseAndBroker() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka broker"));
    }
}

package moonshot.scheduler;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import moonshot.infra.InfrastructureTestResource;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.scheduler.service.VerifyStoredSets;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The verify job marks a stored set whose artifact is gone or changed, so the catalog shows what can be restored. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
@QuarkusTestResource(ExecutorStandIn.class)
class VerifyStoredSetsTest {

    @Inject
    KnownHostRepository hosts;
    @Inject
    VerifyStoredSets verifier;

    @Test
    void aSetWhoseArtifactChangedIsMarkedNotRestorableAndAGoodOneRestorable() {
        String host = Fixture.announceHost(hosts);
        String good = Fixture.backup(host, "PAIR", null);
        String bad = Fixture.backup(host, "PAIR", null);
        ExecutorStandIn.breakArtifact("/vmfs/volumes/backup/" + bad + "/Ctrl", "no artifact at that path");

        assertEquals(Optional.of(true), verifier.verify(UUID.fromString(good)));
        assertEquals(Optional.of(false), verifier.verify(UUID.fromString(bad)));

        given().get("/catalog?managementHost=" + host).then().statusCode(200)
                .body("findAll { it.backupSet == '" + good + "' }.restorable", everyItem(equalTo(true)))
                .body("findAll { it.backupSet == '" + bad + "' }.restorable", everyItem(equalTo(false)))
                .body("find { it.backupSet == '" + bad + "' }.verification", containsString(
                        "CONTROLLER /vmfs/volumes/backup/" + bad + "/Ctrl no artifact at that path"))
                .body("find { it.backupSet == '" + bad + "' }.verifiedAt", notNullValue());
    }

    @Test
    void aPartialSetIsNotVerifiedAndTheJobChecksTheNewestUncheckedSetOnceWithinItsMaxAge() {
        String host = Fixture.announceHost(hosts);
        String partial = Fixture.backup(host, "PAIR", moonshot.contract.NodeRole.BAREMETAL);
        assertEquals(Optional.empty(), verifier.verify(UUID.fromString(partial)), "not a complete set");
        String admin = Fixture.backup(host, "ADMIN", null);

        assertEquals(true, verifier.verifyDue() >= 1);
        String verifiedAt = given().get("/catalog?managementHost=" + host).then().statusCode(200)
                .body("find { it.backupSet == '" + admin + "' }.restorable", equalTo(true))
                .extract().path("find { it.backupSet == '" + admin + "' }.verifiedAt");
        verifier.verifyDue();
        given().get("/catalog?managementHost=" + host).then()
                .body("find { it.backupSet == '" + admin + "' }.verifiedAt", equalTo(verifiedAt));
        given().get("/catalog?managementHost=" + host).then()
                .body("findAll { it.backupSet == '" + partial + "' }.verifiedAt", everyItem(equalTo(null)));
    }
}

package moonshot.scheduler;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.knownhosts.KnownHostRepository;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * A host inventory deletes stays in the scheduler's projection as removed: no backup, restore or maintenance ticket
 * for it, each refused with that reason, until inventory announces it again (its default policies are there then).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "scheduler"))
class KnownHostRemovalTest {

    @Inject
    KnownHostRepository hosts;

    @Test
    void refusesBackupsRestoresAndMaintenanceOfARemovedHostUntilItIsAnnouncedAgain() {
        String host = "mh-" + UUID.randomUUID().toString().substring(0, 8);
        changed(host, false);
        awaitRemoved(host, false);
        changed(host, true);
        awaitRemoved(host, true);

        String removed = "management host '" + host + "' was removed from inventory";
        given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"scope\":\"PAIR\"}")
                .post("/backups").then().statusCode(400)
                .body("field", equalTo("managementHost")).body("message", containsString(removed));
        given().contentType(ContentType.JSON)
                .body("{\"managementHost\":\"" + host + "\",\"failedNodes\":[\"CONTROLLER\"],\"dryRun\":true}")
                .post("/restores").then().statusCode(400)
                .body("field", equalTo("managementHost")).body("message", containsString(removed));
        Fixture.publish(Topics.MAINTENANCE, host, EventTypes.MAINTENANCE_HOTFIX,
                new MaintenanceRequest(host, "HF-" + host, false, null));
        var dead = Fixture.KAFKA.awaitRecord(Topics.deadLetter(Topics.MAINTENANCE), r -> host.equals(r.key()),
                Duration.ofSeconds(30));
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString(removed));
        given().get("/known-hosts").then().statusCode(200)
                .body("find { it.name == '" + host + "' }.removed", equalTo(true))
                .body("find { it.name == '" + host + "' }.dialect", equalTo("xsibackup-classic"));

        changed(host, false);
        awaitRemoved(host, false);
        given().contentType(ContentType.JSON).body("{\"managementHost\":\"" + host + "\",\"scope\":\"ADMIN\"}")
                .post("/backups").then().statusCode(202);
        given().queryParam("managementHost", host).get("/policies").then().statusCode(200)
                .body("name", hasItems("admin-monthly", "pair-nightly"));
    }

    private void awaitRemoved(String host, boolean removed) {
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> hosts.findByIdOptional(host).map(h -> h.removed == removed).orElse(false)));
    }

    private static void changed(String host, boolean removed) {
        Fixture.publish(Topics.INVENTORY_EVENTS, host, EventTypes.MANAGEMENT_HOST_CHANGED,
                new ManagementHostChanged(UUID.randomUUID(), host,
                        new HypervisorConnection("esxi-1", HypervisorKind.ESXI, Dialect.XSIBACKUP_CLASSIC, "127.0.0.1",
                                22, "root", "id_lab", "SHA256:" + "A".repeat(43), "/vmfs/volumes/backup",
                                "/vmfs/volumes/datastore1"),
                        List.of(new NodeSnapshot(NodeRole.ADMIN, "Admin", null, List.of()),
                                new NodeSnapshot(NodeRole.CONTROLLER, "Ctrl", null, List.of()),
                                new NodeSnapshot(NodeRole.BAREMETAL, "Bm", null, List.of())),
                        removed));
    }
}

package moonshot.scheduler;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import moonshot.infra.InfrastructureTestResource;
import moonshot.scheduler.repository.BackupPolicyRepository;
import moonshot.knownhosts.KnownHostRepository;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Policies fire by the injected (settable) clock, never by waiting. The clock only moves forward here. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoliciesTest {

    @Inject
    KnownHostRepository hosts;
    @Inject
    BackupPolicyRepository policies;

    @Test
    @Order(1)
    void everyNewHostGetsAdminMonthlyAndThePairNightly() {
        String host = Fixture.announceHost(hosts);
        given().get("/policies?managementHost=" + host).then().statusCode(200)
                .body("name", hasItems("admin-monthly", "pair-nightly"))
                .body("find { it.name == 'pair-nightly' }.scope", equalTo("PAIR"))
                .body("find { it.name == 'pair-nightly' }.cron", equalTo("0 0 1 * * ?"))
                .body("find { it.name == 'admin-monthly' }.cron", equalTo("0 0 2 1 * ?"));
    }

    @Test
    @Order(2)
    void firesTheNightlyPairAtItsSlotOnceAndOnlyOnce() {
        String host = Fixture.announceHost(hosts);
        setClock("2030-01-10T01:00:30Z");
        List<Map<String, Object>> runs = given().get("/backups?managementHost=" + host + "&scope=PAIR").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, runs.size(), "one PAIR run for the 01:00 slot");
        assertEquals("SCHEDULE", runs.get(0).get("trigger"));
        org.hamcrest.MatcherAssert.assertThat((String) runs.get(0).get("reason"),
                containsString("pair-nightly, slot 2030-01-10T01:00:00Z"));

        setClock("2030-01-10T01:05:00Z");
        given().get("/backups?managementHost=" + host + "&scope=PAIR").then().body("size()", equalTo(1));
    }

    @Test
    @Order(3)
    void catchesUpAMissedSlotOnceNotOncePerMissedSlot() {
        String host = Fixture.announceHost(hosts);
        // five nightly slots pass while "the scheduler is down"
        setClock("2030-01-15T01:00:30Z");
        List<Map<String, Object>> runs = given().get("/backups?managementHost=" + host + "&scope=PAIR").then()
                .extract().jsonPath().getList("$");
        assertEquals(1, runs.size());
        org.hamcrest.MatcherAssert.assertThat((String) runs.get(0).get("reason"), containsString("caught up once"));
    }

    @Test
    @Order(4)
    void onlyOneReplicaClaimsASlot() throws Exception {
        String host = Fixture.announceHost(hosts);
        UUID policy = UUID.fromString(given().get("/policies?managementHost=" + host).then().extract()
                .path("find { it.name == 'pair-nightly' }.id"));
        Instant slot = Instant.parse("2031-01-01T01:00:00Z");
        var first = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew()
                .call(() -> policies.claimSlot(policy, slot)));
        var second = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew()
                .call(() -> policies.claimSlot(policy, slot)));
        assertEquals(1, (first.get() ? 1 : 0) + (second.get() ? 1 : 0));
    }

    @Test
    @Order(5)
    void anOperatorChangesTheCronAndABadOneIsRefusedWithTheField() {
        String host = Fixture.announceHost(hosts);
        String id = given().get("/policies?managementHost=" + host).then().extract()
                .path("find { it.name == 'pair-nightly' }.id");
        given().contentType(ContentType.JSON).body("""
                        {"name":"pair-nightly","scope":"PAIR","cron":"0 30 23 * * ?","keepLast":2}""")
                .put("/policies/" + id).then().statusCode(200).body("cron", equalTo("0 30 23 * * ?"))
                .body("nextSlot", containsString("T23:30:00Z"));
        given().contentType(ContentType.JSON).body("""
                        {"name":"pair-nightly","scope":"PAIR","cron":"every night"}""")
                .put("/policies/" + id).then().statusCode(400).body("field", equalTo("cron"));
    }

    static void setClock(String now) {
        given().contentType(ContentType.JSON).body("{\"now\":\"" + now + "\"}").put("/admin/clock").then()
                .statusCode(200);
    }

    @Test
    @Order(6)
    void retentionDeletesTheOldSetThroughTheExecutorAndTheCatalogForgetsIt() {
        String host = Fixture.announceHost(hosts);
        for (String name : List.of("admin-monthly", "pair-nightly")) { // only the policy under test may fire
            String id = given().get("/policies?managementHost=" + host).then().extract()
                    .path("find { it.name == '" + name + "' }.id");
            String scope = name.startsWith("admin") ? "ADMIN" : "PAIR";
            given().contentType(ContentType.JSON).body("""
                            {"name":"%s","scope":"%s","cron":"0 0 1 * * ?","enabled":false}""".formatted(name, scope))
                    .put("/policies/" + id).then().statusCode(200).body("enabled", equalTo(false));
        }
        given().contentType(ContentType.JSON).body("""
                        {"managementHost":"%s","name":"keep-one","scope":"ADMIN","cron":"0 0 3 * * ?","keepLast":1}"""
                        .formatted(host))
                .post("/policies").then().statusCode(201);
        setClock("2032-03-01T03:00:10Z");
        String first = onlyRun(host, "ADMIN", 1);
        Fixture.finishRun(first, null, null);
        setClock("2032-03-02T03:00:10Z");
        String second = given().get("/backups?managementHost=" + host + "&scope=ADMIN").then().extract().path("[0].id");
        Fixture.finishRun(second, null, null);

        var delete = Fixture.KAFKA.awaitRecord(moonshot.contract.Topics.EXECUTOR_COMMANDS,
                r -> moonshot.contract.EventTypes.DELETE_ARTIFACTS.equals(moonshot.messaging.ReceivedRecords
                        .cloudEvent(r).type()) && first.equals(moonshot.messaging.ReceivedRecords.cloudEvent(r)
                        .subject()), java.time.Duration.ofSeconds(30));
        var command = moonshot.contract.CloudEventCodec.data(moonshot.messaging.ReceivedRecords.cloudEvent(delete),
                moonshot.contract.DeleteArtifacts.class);
        assertEquals(List.of("/vmfs/volumes/backup/" + first + "/Admin"), command.artifactPaths());
        given().get("/backups/" + first).then().body("retentionState", equalTo("DELETING"));
        given().get("/backups/" + second).then().body("retentionState", equalTo("KEPT"));

        Fixture.publish(moonshot.contract.Topics.EXECUTOR_EVENTS, host, moonshot.contract.EventTypes.ARTIFACTS_DELETED,
                new moonshot.contract.ArtifactsDeleted(command.requestId(), host, command.artifactPaths(), List.of()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/backups/" + first).then().body("retentionState", equalTo("DELETED")));
        given().get("/catalog?managementHost=" + host).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].backupSet", equalTo(second)).body("[0].macs[0]", equalTo("00:50:56:aa:00:00"));
    }

    static String onlyRun(String host, String scope, int expected) {
        List<String> ids = given().get("/backups?managementHost=" + host + "&scope=" + scope).then().extract()
                .path("id");
        assertEquals(expected, ids.size());
        return ids.get(0);
    }
}

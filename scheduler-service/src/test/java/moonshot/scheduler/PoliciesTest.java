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
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Policies fire by the injected (settable) clock, never by waiting. Each test has a host of its own and takes its
 * slots after the clock as it reads then, so the clock only moves forward, whatever the order.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "scheduler"))
class PoliciesTest {

    @Inject
    KnownHostRepository hosts;
    @Inject
    BackupPolicyRepository policies;

    @Test
    void everyNewHostGetsAdminMonthlyAndThePairNightly() {
        String host = Fixture.announceHost(hosts);
        given().get("/policies?managementHost=" + host).then().statusCode(200)
                .body("name", hasItems("admin-monthly", "pair-nightly"))
                .body("find { it.name == 'pair-nightly' }.scope", equalTo("PAIR"))
                .body("find { it.name == 'pair-nightly' }.cron", equalTo("0 0 1 * * ?"))
                .body("find { it.name == 'admin-monthly' }.cron", equalTo("0 0 2 1 * ?"));
    }

    @Test
    void firesTheNightlyPairAtItsSlotOnceAndOnlyOnce() {
        String host = Fixture.announceHost(hosts);
        Instant slot = nextAt(1);
        setClock(slot.plusSeconds(30));
        List<Map<String, Object>> runs = given().get("/backups?managementHost=" + host + "&scope=PAIR").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, runs.size(), "one PAIR run for the 01:00 slot");
        assertEquals("SCHEDULE", runs.get(0).get("trigger"));
        org.hamcrest.MatcherAssert.assertThat((String) runs.get(0).get("reason"),
                containsString("pair-nightly, slot " + slot));

        setClock(slot.plus(Duration.ofMinutes(5)));
        given().get("/backups?managementHost=" + host + "&scope=PAIR").then().body("size()", equalTo(1));
    }

    @Test
    void catchesUpAMissedSlotOnceNotOncePerMissedSlot() {
        String host = Fixture.announceHost(hosts);
        // five nightly slots pass while "the scheduler is down"
        setClock(nextAt(1).plus(Duration.ofDays(4)).plusSeconds(30));
        List<Map<String, Object>> runs = given().get("/backups?managementHost=" + host + "&scope=PAIR").then()
                .extract().jsonPath().getList("$");
        assertEquals(1, runs.size());
        org.hamcrest.MatcherAssert.assertThat((String) runs.get(0).get("reason"), containsString("caught up once"));
    }

    @Test
    void onlyOneReplicaClaimsASlot() throws Exception {
        String host = Fixture.announceHost(hosts);
        UUID policy = UUID.fromString(given().get("/policies?managementHost=" + host).then().extract()
                .path("find { it.name == 'pair-nightly' }.id"));
        Instant slot = nextAt(1);
        var first = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew()
                .call(() -> policies.claimSlot(policy, slot)));
        var second = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew()
                .call(() -> policies.claimSlot(policy, slot)));
        assertEquals(1, (first.get() ? 1 : 0) + (second.get() ? 1 : 0));
    }

    @Test
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

    /** The first {@code hour}:00 UTC after the scheduler's clock as it reads now (other tests move it forward). */
    static Instant nextAt(int hour) {
        Instant now = Instant.parse(given().get("/admin/clock").then().statusCode(200).extract().path("now"));
        Instant candidate = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(hour));
        return candidate.isAfter(now) ? candidate : candidate.plus(Duration.ofDays(1));
    }

    static void setClock(Instant now) {
        given().contentType(ContentType.JSON).body("{\"now\":\"" + now + "\"}").put("/admin/clock").then()
                .statusCode(200);
    }

    @Test
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
        Instant day = nextAt(3);
        setClock(day.plusSeconds(10));
        String first = onlyRun(host, "ADMIN", 1);
        Fixture.finishRun(first, null, null);
        setClock(day.plus(Duration.ofDays(1)).plusSeconds(10));
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

package moonshot.power;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerAction;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerHypervisor;
import moonshot.contract.PowerNode;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.power.service.ResumePowerSequences;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static moonshot.power.Fixture.KAFKA;
import static moonshot.power.Fixture.WAIT;
import static moonshot.power.Fixture.awaitPowerNode;
import static moonshot.power.Fixture.awaitState;
import static moonshot.power.Fixture.confirmEach;
import static moonshot.power.Fixture.observed;
import static moonshot.power.Fixture.powerNodes;
import static moonshot.power.Fixture.sequence;
import static moonshot.power.Fixture.start;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power sequences against the real broker and database, with the test playing inventory, the executor (it reads the
 * PowerNode commands from executor.commands and answers them on executor.events) and the dashboard. Deadlines are
 * the short %test ones: shutdown grace 5 s, power-on/off 5 s, answer margin 3 s, Deployed 8 s, hypervisor 10 s.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "power"))
class PowerSequencesTest {

    @Inject
    KnownHostRepository hosts;

    @Inject
    ResumePowerSequences resume;

    @Test
    void powersOffBaremetalThenControllerThenAdminEachCommandSentOnlyAfterThePreviousConfirmation() {
        String host = Fixture.announceHost(hosts);
        String id = start(host, "OFF", false);

        PowerNode baremetal = awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.SHUTDOWN);
        assertEquals(UUID.fromString(id), baremetal.sequenceId());
        assertEquals("Bm", baremetal.vmName());
        assertEquals(5, baremetal.timeoutSeconds(), "the executor gets the grace period");
        // a step's command id is set as its command is sent: none on CONTROLLER, nothing sent for it
        assertNull(sequence(id).getString("steps[1].commandId"),
                "nothing else is commanded while BAREMETAL is not confirmed OFF");
        observed(baremetal, "OFF");
        PowerNode controller = awaitPowerNode(host, NodeRole.CONTROLLER, PowerAction.SHUTDOWN);
        observed(controller, "OFF");
        PowerNode admin = awaitPowerNode(host, NodeRole.ADMIN, PowerAction.SHUTDOWN);
        observed(admin, "OFF");

        JsonPath done = awaitState(id, "SUCCEEDED");
        assertEquals(List.of("BAREMETAL", "CONTROLLER", "ADMIN"), done.getList("steps.target"));
        assertEquals(List.of("CONFIRMED", "CONFIRMED", "CONFIRMED"), done.getList("steps.state"));
        assertEquals(List.of(baremetal.commandId().toString(), controller.commandId().toString(),
                admin.commandId().toString()), done.getList("steps.commandId"));
        for (int i = 1; i < 3; i++) {
            Instant previousConfirmed = Instant.parse(done.getString("steps[" + (i - 1) + "].confirmedAt"));
            Instant commanded = Instant.parse(done.getString("steps[" + i + "].commandedAt"));
            assertFalse(commanded.isBefore(previousConfirmed), "step " + i + " commanded at " + commanded
                    + " before the previous step was confirmed at " + previousConfirmed);
        }
        assertEquals(List.of(NodeRole.BAREMETAL, NodeRole.CONTROLLER, NodeRole.ADMIN),
                powerNodes(host).stream().map(PowerNode::role).toList(),
                "exactly one command per node, in the one safe order");
        var finished = Fixture.data(KAFKA.awaitRecord(Topics.POWER_EVENTS, r -> host.equals(r.key())
                && EventTypes.POWER_SEQUENCE_FINISHED.equals(Fixture.type(r)), WAIT), PowerSequenceFinished.class);
        assertEquals(new PowerSequenceFinished(UUID.fromString(id), host, PowerDirection.OFF), finished);
    }

    @Test
    void escalatesAGracefulShutdownThatTimesOutToAHardPowerOff() {
        String host = Fixture.announceHost(hosts);
        String id = start(host, "OFF", false);
        PowerNode shutdown = awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.SHUTDOWN);
        // the executor never answers the shutdown: after the grace period (and the answer margin) it escalates
        PowerNode powerOff = awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.POWER_OFF);
        assertNotEquals(shutdown.commandId(), powerOff.commandId());
        JsonPath escalated = sequence(id);
        assertEquals("POWERING_OFF", escalated.getString("steps[0].state"));
        assertThat(escalated.getString("steps[0].message"), containsString("did not reach OFF within PT5S"));
        assertEquals("PENDING", escalated.getString("steps[1].state"));

        observed(shutdown, "OFF"); // a late answer to the superseded shutdown confirms nothing
        observed(powerOff, "OFF");
        confirmEach(host, PowerAction.SHUTDOWN, "OFF", NodeRole.CONTROLLER, NodeRole.ADMIN);

        JsonPath done = awaitState(id, "SUCCEEDED");
        assertEquals("POWER_OFF", done.getString("steps[0].action"));
        assertEquals(powerOff.commandId().toString(), done.getString("steps[0].commandId"));
        assertThat(done.getString("steps[0].message"), containsString("OFF after a hard power-off"));
        assertEquals(List.of("BAREMETAL SHUTDOWN", "BAREMETAL POWER_OFF", "CONTROLLER SHUTDOWN", "ADMIN SHUTDOWN"),
                powerNodes(host).stream().map(c -> c.role() + " " + c.action()).toList());
    }

    @Test
    void powersOnAdminThenWaitsForTheControllerAndBaremetalToReportDeployed() {
        String host = Fixture.announceHost(hosts);
        // a Deployed from before the sequence says nothing about the power-on to come
        Fixture.nodeStatus(host, "Bm", "Deployed");
        await().atMost(WAIT).untilAsserted(() -> given().get("/node-status?managementHost=" + host).then()
                .body("find { it.node == 'Bm' }.state", equalTo("Deployed")));
        String id = start(host, "ON", false);

        confirmEach(host, PowerAction.POWER_ON, "ON", NodeRole.ADMIN, NodeRole.CONTROLLER);
        await().atMost(WAIT).until(() -> "AWAITING_DEPLOYED".equals(sequence(id).getString("steps[1].state")));
        assertNull(sequence(id).getString("steps[2].commandId"), "BAREMETAL waits until CONTROLLER is Deployed");

        Fixture.nodeStatus(host, "Ctrl", "Deployed");
        observed(awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.POWER_ON), "ON");
        await().atMost(WAIT).until(() -> "AWAITING_DEPLOYED".equals(sequence(id).getString("steps[2].state")));
        assertEquals("RUNNING", sequence(id).getString("state"), "the stale Deployed of Bm did not count");

        Fixture.nodeStatus(host, "Bm", "Deployed");
        JsonPath done = awaitState(id, "SUCCEEDED");
        assertEquals(List.of("ADMIN", "CONTROLLER", "BAREMETAL"), done.getList("steps.target"));
        assertThat(done.getString("steps[1].message"), containsString("Deployed (node-status"));
        assertThat(done.getString("steps[2].message"), containsString("Deployed (node-status"));
    }

    @Test
    void powersOnWaitingForDeployedByAnHttpReadinessProbe() throws Exception {
        Set<String> deployed = ConcurrentHashMap.newKeySet();
        HttpServer dashboard = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dashboard.createContext("/ready/", exchange -> {
            String vm = exchange.getRequestURI().getPath().substring("/ready/".length());
            exchange.sendResponseHeaders(deployed.contains(vm) ? 200 : 503, -1);
            exchange.close();
        });
        dashboard.start();
        try {
            String base = "http://127.0.0.1:" + dashboard.getAddress().getPort() + "/ready/";
            String host = Fixture.announceHost(hosts, base + "Ctrl", base + "Bm");
            String id = start(host, "ON", false);
            confirmEach(host, PowerAction.POWER_ON, "ON", NodeRole.ADMIN, NodeRole.CONTROLLER);

            await().atMost(WAIT).untilAsserted(() -> given().get("/power-sequences/" + id).then()
                    .body("steps[1].state", equalTo("AWAITING_DEPLOYED"))
                    .body("steps[1].message", containsString("HTTP 503")));
            assertNull(sequence(id).getString("steps[2].commandId"),
                    "BAREMETAL waits while CONTROLLER's probe answers 503");

            deployed.add("Ctrl");
            observed(awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.POWER_ON), "ON");
            deployed.add("Bm");

            JsonPath done = awaitState(id, "SUCCEEDED");
            assertThat(done.getString("steps[1].message"), containsString("readiness probe " + base + "Ctrl answered: HTTP 200"));
            assertThat(done.getString("steps[2].message"), containsString("answered: HTTP 200"));
        } finally {
            dashboard.stop(0);
        }
    }

    @Test
    void aStepThatTimesOutHaltsTheSequenceFailedAndTheLaterStepsAreNeverCommanded() {
        String host = Fixture.announceHost(hosts);
        String id = start(host, "ON", false);
        confirmEach(host, PowerAction.POWER_ON, "ON", NodeRole.ADMIN, NodeRole.CONTROLLER);
        // CONTROLLER never reports Deployed

        JsonPath failed = awaitState(id, "FAILED");
        assertEquals("CONTROLLER", failed.getString("failedStep"));
        assertThat(failed.getString("reason"), containsString("not Deployed within PT8S"));
        assertEquals(List.of("CONFIRMED", "FAILED", "PENDING"), failed.getList("steps.state"));
        assertNull(failed.getString("steps[2].commandId"));
        assertNull(failed.getString("steps[2].commandedAt"));
        var event = Fixture.data(KAFKA.awaitRecord(Topics.POWER_EVENTS, r -> host.equals(r.key())
                && EventTypes.POWER_SEQUENCE_FAILED.equals(Fixture.type(r)), WAIT), PowerSequenceFailed.class);
        assertEquals(UUID.fromString(id), event.sequenceId());
        assertEquals("CONTROLLER", event.step());
        assertThat(event.reason(), containsString("not Deployed"));
        assertEquals(List.of(NodeRole.ADMIN, NodeRole.CONTROLLER), powerNodes(host).stream()
                .map(PowerNode::role).toList(), "BAREMETAL was never commanded");
    }

    @Test
    void powersTheHypervisorOffLastAndChecksUntilItNoLongerAnswers() {
        String host = Fixture.announceHost(hosts);
        String id = start(host, "OFF", true);
        confirmEach(host, PowerAction.SHUTDOWN, "OFF", NodeRole.BAREMETAL, NodeRole.CONTROLLER, NodeRole.ADMIN);

        var request = Fixture.data(KAFKA.awaitRecord(Topics.HYPERVISOR_POWER, r -> host.equals(r.key()), WAIT),
                PowerHypervisor.class);
        assertEquals(new PowerHypervisor(UUID.fromString(id), host, "esxi-" + host, PowerDirection.OFF), request);
        CheckHypervisor first = Fixture.awaitCheck(host, c -> true);
        Fixture.checked(first, true);
        CheckHypervisor second = Fixture.awaitCheck(host, c -> !c.commandId().equals(first.commandId()));
        Fixture.checked(second, false);

        JsonPath done = awaitState(id, "SUCCEEDED");
        assertEquals("HYPERVISOR", done.getString("steps[3].target"));
        assertThat(done.getString("steps[3].message"), containsString("not answering"));
    }

    @Test
    void resumesAfterARestartWithoutSendingTheCommandAlreadySentAgain() {
        String host = Fixture.announceHost(hosts);
        String id = start(host, "OFF", false);
        PowerNode baremetal = awaitPowerNode(host, NodeRole.BAREMETAL, PowerAction.SHUTDOWN);

        // What a restarted power-service does at startup, on the state persisted before the "crash": the service
        // keeps no state in memory, so this is the whole of a restart short of killing the JVM.
        assertTrue(resume.resumeAll().contains(UUID.fromString(id)));
        assertTrue(resume.resumeAll().contains(UUID.fromString(id)));
        JsonPath resumed = sequence(id);
        assertEquals("SHUTTING_DOWN", resumed.getString("steps[0].state"));
        assertEquals(baremetal.commandId().toString(), resumed.getString("steps[0].commandId"));

        observed(baremetal, "OFF"); // the executor's answer to the command sent before the restart
        confirmEach(host, PowerAction.SHUTDOWN, "OFF", NodeRole.CONTROLLER, NodeRole.ADMIN);
        awaitState(id, "SUCCEEDED");
        List<PowerNode> sent = powerNodes(host);
        assertEquals(List.of(baremetal), sent.stream().filter(c -> c.role() == NodeRole.BAREMETAL).toList(),
                "BAREMETAL was told to shut down exactly once");
        assertEquals(3, sent.size());
    }
}

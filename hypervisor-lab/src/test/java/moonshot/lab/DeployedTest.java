package moonshot.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Admin dashboard stand-in: readiness endpoint and onDeployed listener. */
class DeployedTest {
    /** Long enough that an SSH command and an HTTP request fit in it on a loaded machine. */
    private static final Duration DEPLOY = Duration.ofMillis(1500);

    @TempDir
    static Path dir;
    static HypervisorLab lab;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startLab() throws Exception {
        lab = HypervisorLab.start(dir);
        get("http://127.0.0.1:" + lab.readinessPort() + "/", "GET"); // warm the HTTP client up
    }

    @AfterAll
    static void stopLab() {
        lab.close();
    }

    private record Event(String vm, Instant at) {
    }

    private static HttpResponse<String> get(String url, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertReady(SimulatedHost host, String vm, int code, String body) throws Exception {
        HttpResponse<String> r = get(lab.readinessUrl(host.name(), vm), "GET");
        assertEquals(Map.entry(code, body), Map.entry(r.statusCode(), r.body()), vm);
        if (!body.equals("Deploying")) {
            assertEquals(code == 200, host.isDeployed(vm), vm);
        }
    }

    @Test
    void seededRunningVmsAreDeployedAtOnceOthersAreNot() throws Exception {
        SimulatedHost host = lab.addHost(new HostSpec("kvm-seeded", HypervisorKind.KVM, 0, List.of(
                new VmSpec("Controller", 34, List.of(), true),
                new VmSpec("Compute", 35, List.of(), false)), Duration.ofMillis(100), Duration.ofMillis(20)));
        assertEquals("http://127.0.0.1:" + lab.readinessPort() + "/ready/kvm-seeded/Controller",
                lab.readinessUrl("kvm-seeded", "Controller"));
        assertEquals(lab.readinessUrl("kvm-seeded", "Controller"), host.readinessUrl("Controller"));
        assertReady(host, "Controller", 200, "Deployed");
        assertReady(host, "Compute", 503, "Off");
        assertReady(host, "Nope", 503, "Unknown");
        HttpResponse<String> head = get(lab.readinessUrl("kvm-seeded", "Controller"), "HEAD");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(404, get("http://127.0.0.1:" + lab.readinessPort() + "/ready/no-such-host/Controller", "GET")
                .statusCode());
        assertEquals(404, get("http://127.0.0.1:" + lab.readinessPort() + "/ready/kvm-seeded", "GET").statusCode());
        assertEquals(405, get(lab.readinessUrl("kvm-seeded", "Controller"), "POST").statusCode());
        assertThrows(IllegalArgumentException.class, () -> lab.readinessUrl("no-such-host", "Controller"));
        assertThrows(IllegalArgumentException.class, () -> lab.readinessUrl("kvm-seeded", "../x"));
    }

    @Test
    void virshStartIsDeployedADeployDelayLaterAndPoweringOffResetsIt() throws Exception {
        SimulatedHost host = lab.addHost(new HostSpec("kvm-deploy", HypervisorKind.KVM, 0, List.of(
                new VmSpec("Controller", 34, List.of(), false),
                new VmSpec("Compute", 35, List.of(), false)), Duration.ofMillis(100), Duration.ofMillis(20)));
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        host.onDeployed((vm, at) -> events.add(new Event(vm, at)));
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            // Started and stopped again before its time: never reported.
            host.setDeployDelay(Duration.ofSeconds(30));
            assertEquals(0, ssh.run("virsh start Compute").exit());
            assertReady(host, "Compute", 503, "Deploying");
            assertEquals(0, ssh.run("virsh destroy Compute").exit());
            assertReady(host, "Compute", 503, "Off");

            host.setDeployDelay(DEPLOY);
            assertEquals(0, ssh.run("virsh start Controller").exit());
            assertReady(host, "Controller", 503, "Deploying");
            Event e = events.poll(5, TimeUnit.SECONDS);
            assertEquals("Controller", e.vm());
            assertReady(host, "Controller", 200, "Deployed");
            List<LabAction> actions = host.actions();
            LabAction on = actions.stream().filter(a -> a.action().equals("POWERED_ON")
                    && "Controller".equals(a.detail("vm"))).findFirst().orElseThrow();
            LabAction deployed = actions.stream().filter(a -> a.action().equals("DEPLOYED")).findFirst().orElseThrow();
            assertEquals(e.at(), deployed.at(), "the listener gets the action log's instant");
            assertEquals("Controller", deployed.detail("vm"));
            // The delay runs from the moment the VM came on, just before the POWERED_ON entry was written.
            Instant deployedAt = Instant.parse(on.detail("deployedAt"));
            assertFalse(e.at().isBefore(deployedAt), deployedAt + " -> " + e.at());
            Duration measured = Duration.between(on.at(), deployedAt);
            assertTrue(measured.compareTo(DEPLOY) <= 0 && measured.compareTo(DEPLOY.minusMillis(200)) > 0,
                    "POWERED_ON " + on.at() + ", deployed from " + deployedAt);

            assertEquals(0, ssh.run("virsh destroy Controller").exit());
            assertReady(host, "Controller", 503, "Off");
            host.setDeployDelay(Duration.ofMillis(100));
            assertEquals(0, ssh.run("virsh start Controller").exit());
            assertEquals("Controller", events.poll(5, TimeUnit.SECONDS).vm(), "each start is reported again");
            assertReady(host, "Controller", 200, "Deployed");
        }
        assertNull(events.poll(200, TimeUnit.MILLISECONDS), "nothing for Compute: " + events);
        assertEquals(2, host.actions().stream().filter(a -> a.action().equals("DEPLOYED")).count());
    }

    @Test
    void esxiPowerOnIsDeployedAfterTheHostSpecDelayAndPowerOffResetsIt() throws Exception {
        SimulatedHost host = lab.addHost(new HostSpec("esxi-deploy", HypervisorKind.ESXI, 0, List.of(
                new VmSpec("Admin", null, List.of(), true),
                new VmSpec("Ctrl", null, List.of(), false)), Duration.ofMillis(100), Duration.ofMillis(20), DEPLOY));
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        host.onDeployed((vm, at) -> events.add(new Event(vm, at)));
        assertReady(host, "Admin", 200, "Deployed");
        assertReady(host, "Ctrl", 503, "Off");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            assertEquals(0, ssh.run("vim-cmd vmsvc/power.on 2").exit());
            assertReady(host, "Ctrl", 503, "Deploying");
            Event e = events.poll(5, TimeUnit.SECONDS);
            assertEquals("Ctrl", e.vm());
            assertReady(host, "Ctrl", 200, "Deployed");
            assertEquals(0, ssh.run("vim-cmd vmsvc/power.off 2").exit());
            assertReady(host, "Ctrl", 503, "Off");
            assertEquals(0, ssh.run("vim-cmd vmsvc/power.shutdown 1").exit());
            assertReady(host, "Admin", 503, "Off");
        }
        assertTrue(events.isEmpty(), events.toString());
    }
}

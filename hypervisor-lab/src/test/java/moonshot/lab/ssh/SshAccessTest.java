package moonshot.lab.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import moonshot.lab.Fault;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorKind;
import moonshot.lab.HypervisorLab;
import moonshot.lab.LabSsh;
import moonshot.lab.SimulatedHost;
import moonshot.lab.VmSpec;

class SshAccessTest {
    @TempDir
    static Path shared;
    static HypervisorLab lab;

    @BeforeAll
    static void startLab() throws IOException {
        lab = HypervisorLab.start(shared);
    }

    @AfterAll
    static void stopLab() {
        lab.close();
    }

    private static HostSpec kvm(String name) {
        return new HostSpec(name, HypervisorKind.KVM, 0, List.of(new VmSpec("Controller", 34, List.of(), true)),
                Duration.ofMillis(200), Duration.ofMillis(50));
    }

    @Test
    void runsCommandsInARealShellWithTheSimulatedToolsOnThePath() throws IOException {
        SimulatedHost host = lab.addHost(kvm("kvm-a"));
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result r = ssh.run("echo hello; pwd; command -v virsh; command -v vzdump; exit 3");
            assertEquals(3, r.exit());
            assertEquals("hello\n" + host.root() + "\n" + host.root().resolve("bin/virsh") + "\n"
                    + host.root().resolve("bin/vzdump") + "\n", r.out());
        }
        assertTrue(host.hostKeyFingerprint().matches("SHA256:[A-Za-z0-9+/]{43}"), host.hostKeyFingerprint());
        assertTrue(Files.readString(lab.clientPrivateKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
    }

    @Test
    void refusesAWrongHostKeyFingerprint() throws IOException {
        SimulatedHost host = lab.addHost(kvm("kvm-b"));
        String wrong = "SHA256:" + "A".repeat(43);
        assertThrows(IOException.class, () -> LabSsh.connect(lab, host, wrong).close());
    }

    @Test
    void anUnreachableHostRefusesConnectionsUntilCleared() throws IOException {
        SimulatedHost host = lab.addHost(kvm("kvm-d"));
        LabSsh open = LabSsh.connect(lab, host);
        host.failAlways("ssh", Fault.UNREACHABLE);
        assertThrows(IOException.class, () -> LabSsh.connect(lab, host).close());
        assertThrows(Exception.class, () -> open.run("echo still here"), "open connections are dropped too");
        open.close();
        host.clearFaults();
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            assertEquals("ok\n", ssh.run("echo ok").out());
        }
        host.failNext("virsh", Fault.UNREACHABLE);
        assertThrows(IOException.class, () -> LabSsh.connect(lab, host).close());
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            assertEquals(0, ssh.run("true").exit(), "a one-shot UNREACHABLE refuses one connection");
        }
        assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("CONNECTION_REFUSED")));
    }

    @Test
    void refusesASessionBeyondMaxSessionsAsOpenSshDoesAndKeepsTheConnection() throws IOException {
        SimulatedHost host = lab.addHost(kvm("kvm-e"));
        host.setMaxSessions(2);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            Session first = ssh.openSession();
            Session second = ssh.openSession();
            OpenFailException refused = assertThrows(OpenFailException.class, ssh::openSession);
            assertEquals(OpenFailException.Reason.ADMINISTRATIVELY_PROHIBITED, refused.getReason());
            assertTrue(refused.getMessage().contains("open failed"), refused.getMessage());

            Session.Command still = first.exec("echo still here");
            assertEquals("still here\n", new String(still.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            first.close();
            second.close();
            assertEquals("ok\n", ssh.run("echo ok").out(), "the connection outlived the refusal");
        }
        assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("SESSION_REFUSED")
                && "2".equals(a.detail("maxSessions"))));
    }

    @Test
    void startsEachCommandInASessionOfItsOwnAsSshdDoes() throws IOException {
        SimulatedHost host = lab.addHost(kvm("kvm-f"));
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            List<String> lines = ssh.run("echo $$; ps -o pgid=,sid= -p $$").out().lines().toList();
            String pid = lines.get(0);
            assertEquals(List.of(pid, pid), List.of(lines.get(1).trim().split("\\s+")),
                    "the shell leads its process group and session: " + lines);
            assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("EXEC") && pid.equals(a.detail("pid"))));
        }
    }

    @Test
    void aHangUpOnlyClosesTheCommandsPipesWhenKillOnHangUpIsOffAsOpenSshDoes() throws Exception {
        SimulatedHost host = lab.addHost(kvm("kvm-g"));
        host.setKillOnHangUp(false);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            Session quiet = ssh.openSession();
            quiet.exec("sleep 300");
            long silent = awaitPid(host, "sleep 300");
            Session chatty = ssh.openSession();
            chatty.exec("while :; do echo tick; sleep 0.2; done");
            long writer = awaitPid(host, "while :; do echo tick; sleep 0.2; done");
            try {
                quiet.close();
                chatty.close();
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                        ProcessHandle.of(writer).map(p -> !p.isAlive()).orElse(true));
                assertTrue(ProcessHandle.of(silent).map(ProcessHandle::isAlive).orElse(false),
                        "a command that does not write runs on after the hang-up");
                assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("HUNG_UP")));
                assertTrue(host.actions().stream().noneMatch(a -> a.action().equals("KILLED")));
            } finally {
                ProcessHandle.of(silent).ifPresent(ProcessHandle::destroyForcibly);
                ProcessHandle.of(writer).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static long awaitPid(SimulatedHost host, String command) {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> host.actions().stream()
                .filter(a -> a.action().equals("EXEC") && command.equals(a.detail("command")))
                .map(a -> Long.parseLong(a.detail("pid"))).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    @Test
    void keepsHostKeyClientKeyAndStateAcrossARestart(@TempDir Path dir) throws IOException {
        String fingerprint;
        String key;
        try (HypervisorLab first = HypervisorLab.start(dir)) {
            SimulatedHost host = first.addHost(kvm("kvm-c"));
            fingerprint = host.hostKeyFingerprint();
            key = Files.readString(first.clientPrivateKey());
            try (LabSsh ssh = LabSsh.connect(first, host)) {
                assertEquals(0, ssh.run("virsh destroy Controller").exit());
            }
        }
        try (HypervisorLab second = HypervisorLab.start(dir)) {
            SimulatedHost host = second.addHost(kvm("kvm-c"));
            assertEquals(fingerprint, host.hostKeyFingerprint());
            assertEquals(key, Files.readString(second.clientPrivateKey()));
            try (LabSsh ssh = LabSsh.connect(second, host)) {
                assertEquals("shut off\n\n", ssh.run("virsh domstate Controller").out());
            }
        }
    }
}

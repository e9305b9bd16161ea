package moonshot.lab.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

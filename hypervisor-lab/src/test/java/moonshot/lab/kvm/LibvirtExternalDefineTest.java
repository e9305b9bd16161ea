package moonshot.lab.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorKind;
import moonshot.lab.LabSsh;
import moonshot.lab.LabTestCase;
import moonshot.lab.SimulatedHost;
import moonshot.lab.VmSpec;
import moonshot.lab.Wording;

/** {@code virsh define} / {@code undefine}: the libvirt-external restore path. */
class LibvirtExternalDefineTest extends LabTestCase {

    private static SimulatedHost kvm(String name) throws IOException {
        return lab.addHost(new HostSpec(name, HypervisorKind.KVM, 0, List.of(
                new VmSpec("Controller", 34, List.of("52:54:00:dd:00:01", "52:54:00:dd:00:11"), true),
                new VmSpec("Baremetal", 35, List.of("52:54:00:dd:00:02"), true)),
                Duration.ofMillis(200), Duration.ofMillis(50)));
    }

    @Test
    void defineFromACapturedXmlRestoresNameUuidAndMacs() throws IOException {
        SimulatedHost host = kvm("kvm-define");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            assertEquals(0, ssh.run("mkdir -p saved && virsh dumpxml Controller > saved/Controller.xml").exit());
            String uuid = ssh.run("virsh domuuid Controller").out().strip();
            List<String> macs = host.macs("Controller");

            assertEquals(0, ssh.run("virsh destroy Controller").exit());
            assertEquals("Domain Controller has been undefined\n\n", ssh.run("virsh undefine Controller").out());
            assertFalse(ssh.run("virsh list --all").out().contains("Controller"));
            assertEquals("error: failed to get domain 'Controller'\n", ssh.run("virsh domstate Controller").err());
            assertTrue(host.macs("Controller").isEmpty());

            LabSsh.Result defined = ssh.run("virsh define saved/Controller.xml");
            assertEquals(0, defined.exit(), defined.err());
            assertEquals("Domain Controller defined from saved/Controller.xml\n\n", defined.out());
            assertEquals("shut off\n\n", ssh.run("virsh domstate Controller").out());
            assertEquals(uuid + "\n\n", ssh.run("virsh domuuid Controller").out());
            assertEquals(macs, host.macs("Controller"));
            assertTrue(Files.readString(host.root().resolve("etc/libvirt/qemu/Controller.xml"))
                    .startsWith("<domain type='kvm'>\n  <name>Controller</name>"), "the live Id is not kept");
            assertEquals(0, ssh.run("virsh start Controller").exit());

            lab.setWording(Wording.NEWER);
            try {
                assertEquals("Domain 'Controller' defined from saved/Controller.xml\n\n",
                        ssh.run("virsh define saved/Controller.xml").out(), "redefining is allowed");
            } finally {
                lab.setWording(Wording.CLASSIC);
            }
            assertTrue(host.isPoweredOn("Controller"), "a redefined domain keeps running");

            assertEquals(0, ssh.run("sed 's#<name>Controller</name>#<name>Other</name>#' saved/Controller.xml "
                    + "> saved/other.xml").exit());
            LabSsh.Result sameUuid = ssh.run("virsh define saved/other.xml");
            assertEquals(1, sameUuid.exit());
            assertEquals("error: Failed to define domain from saved/other.xml\n"
                    + "error: operation failed: domain 'Controller' is already defined with uuid " + uuid + "\n",
                    sameUuid.err());
            String baremetalUuid = ssh.run("virsh domuuid Baremetal").out().strip();
            assertEquals(0, ssh.run("sed 's#<uuid>.*</uuid>#<uuid>" + baremetalUuid.replace('a', 'b').replace('1', '2')
                    + "</uuid>#; s#<name>Controller</name>#<name>Baremetal</name>#' saved/Controller.xml "
                    + "> saved/clash.xml").exit());
            LabSsh.Result sameName = ssh.run("virsh define saved/clash.xml");
            assertEquals("error: Failed to define domain from saved/clash.xml\n"
                    + "error: operation failed: domain 'Baremetal' already exists with uuid " + baremetalUuid + "\n",
                    sameName.err());

            LabSsh.Result missing = ssh.run("virsh define nope.xml");
            assertEquals(1, missing.exit());
            assertEquals("error: Failed to open file 'nope.xml': No such file or directory\n", missing.err());
        }
        assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("DEFINED")
                && "Controller".equals(a.detail("vm")) && "52:54:00:dd:00:01,52:54:00:dd:00:11".equals(a.detail("macs"))));
    }

    @Test
    void undefiningARunningDomainLeavesItTransientUntilItStops() throws IOException {
        SimulatedHost host = kvm("kvm-transient");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            assertEquals("Domain Baremetal has been undefined\n\n", ssh.run("virsh undefine Baremetal").out());
            assertTrue(ssh.run("virsh list --all").out().matches("(?s).*\\n \\d+ +Baremetal +running\\n.*"),
                    "still running");
            LabSsh.Result again = ssh.run("virsh undefine Baremetal");
            assertEquals(1, again.exit());
            assertEquals("error: Failed to undefine domain 'Baremetal'\n"
                    + "error: Requested operation is not valid: cannot undefine transient domain\n", again.err());
            assertEquals(0, ssh.run("virsh destroy Baremetal").exit());
            assertFalse(ssh.run("virsh list --all").out().contains("Baremetal"), "a transient domain ends with its run");
        }
    }
}

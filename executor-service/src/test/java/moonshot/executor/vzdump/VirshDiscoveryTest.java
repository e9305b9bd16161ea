package moonshot.executor.vzdump;

import moonshot.contract.Dialect;
import moonshot.contract.DiscoveredVm;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.executor.dialect.DiscoveryDriver.ListedVm;
import moonshot.executor.dialect.UnsafeValueException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KVM discovery on what the lab's {@code virsh} really prints (captured verbatim over SSH from {@code LabMain} into
 * {@code src/test/resources/lab-output/}).
 */
class VirshDiscoveryTest {

    static final HypervisorConnection KVM = new HypervisorConnection("kvm-01", HypervisorKind.KVM, Dialect.VZDUMP,
            "127.0.0.1", 22, "root", "id_lab", "SHA256:x", "/var/lib/vz/dump", "/var/lib/libvirt/images");
    final VirshDiscoveryDriver driver = new VirshDiscoveryDriver();

    @Test
    void readsEveryDomainWithItsIdAndPower() {
        assertEquals(List.of(
                new ListedVm("Admin_node", "1", "ON", null),
                new ListedVm("Controller", "2", "ON", null),
                new ListedVm("Compute", "3", "ON", null)),
                driver.parseListing(KVM, labOutput("kvm-virsh-list-all.txt")));
    }

    @Test
    void aShutOffDomainHasNoIdAndIsOff() {
        assertEquals(new ListedVm("Compute", "-", "OFF", null),
                driver.parseListing(KVM, labOutput("kvm-virsh-list-all-one-shut-off.txt")).get(2));
    }

    @Test
    void anEmptyHypervisorListsNoDomain() {
        assertEquals(List.of(), driver.parseListing(KVM, " Id   Name   State\n--------------------\n\n"));
        assertThrows(IllegalStateException.class, () -> driver.parseListing(KVM, "error: failed to connect\n"));
    }

    @Test
    void capturesANodeWithDomiflistAndDumpxmlByQuotedName() {
        var vm = new ListedVm("Controller", "2", "ON", null);
        assertEquals(List.of("virsh domiflist 'Controller'", "virsh dumpxml 'Controller'"),
                driver.captureCommands(KVM, vm, true));
        assertEquals(List.of(), driver.captureCommands(KVM, vm, false));
        assertThrows(UnsafeValueException.class,
                () -> driver.captureCommands(KVM, new ListedVm("x;reboot", "-", "OFF", null), true));
    }

    @Test
    void readsTheNodesMacsAndConfigFromTheLabsOutput() {
        var vm = new ListedVm("Controller", "2", "ON", null);
        String xml = labOutput("kvm-virsh-dumpxml-Controller.xml");

        DiscoveredVm discovered = driver.parseCapture(vm, true,
                List.of(labOutput("kvm-virsh-domiflist-Controller.txt"), xml));

        assertEquals(List.of("52:54:00:b2:00:22"), discovered.macs());
        assertEquals(xml.strip() + "\n", discovered.config());
        assertTrue(discovered.config().contains("<mac address='52:54:00:b2:00:22'/>"));
        assertEquals("ON", discovered.powerState());
    }

    @Test
    void readsTheMacsOfAShutOffDomain() {
        assertEquals(List.of("52:54:00:b2:00:23"),
                VirshInterfaceList.macs(labOutput("kvm-virsh-domiflist-Compute-shut-off.txt")));
    }

    @Test
    void refusesTheDefinitionOfAnotherDomainAndMasksConsolePasswords() {
        String xml = labOutput("kvm-virsh-dumpxml-Controller.xml");
        assertThrows(IllegalStateException.class, () -> DomainXmlConfig.kept("Compute", xml));

        String kept = DomainXmlConfig.kept("Controller", xml.replace("</devices>",
                "  <graphics type='vnc' port='-1' autoport='yes' passwd='hunter2'/>\n  </devices>"));
        assertFalse(kept.contains("hunter2"), kept);
        assertTrue(kept.contains("passwd='(redacted)'"), kept);
    }

    static String labOutput(String name) {
        try (var in = VirshDiscoveryTest.class.getResourceAsStream("/lab-output/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

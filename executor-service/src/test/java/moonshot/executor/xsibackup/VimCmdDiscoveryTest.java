package moonshot.executor.xsibackup;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ESXi discovery on what the lab's {@code vim-cmd} and {@code cat} really print (captured verbatim over SSH from
 * {@code LabMain} into {@code src/test/resources/lab-output/}).
 */
class VimCmdDiscoveryTest {

    static final String DATASTORE = "/vmfs/volumes/datastore1";
    static final HypervisorConnection ESXI = new HypervisorConnection("esxi-01", HypervisorKind.ESXI,
            Dialect.XSIBACKUP_CLASSIC, "127.0.0.1", 22, "root", "id_lab", "SHA256:x", "/vmfs/volumes/backup",
            DATASTORE);
    final VimCmdDiscoveryDriver driver = new VimCmdDiscoveryDriver();

    @Test
    void readsEveryVmOfTheListingWithItsVmxOnTheRunningDatastore() {
        List<ListedVm> vms = driver.parseListing(ESXI, labOutput("esxi-vim-cmd-getallvms.txt"));

        assertEquals(List.of(
                new ListedVm("Admin", "1", null, DATASTORE + "/Admin/Admin.vmx"),
                new ListedVm("Ctrl", "2", null, DATASTORE + "/Ctrl/Ctrl.vmx"),
                new ListedVm("Bm", "3", null, DATASTORE + "/Bm/Bm.vmx")), vms);
    }

    @Test
    void readsRowsWithSpacesInNamesAndAnnotationsAndSkipsInvalidVms() {
        String listing = """
                Vmid   Name         File                                   Guest OS         Version   Annotation
                Skipping invalid VM '7'
                12     vCenter VM   [datastore2] vCenter VM/vCenter VM.vmx   sles11_64Guest   vmx-08    VMware vCenter
                second line of a multi-line annotation
                13     Admin               [datastore1] Admin/Admin.vmx   sles12_64Guest   vmx-13
                """;
        List<ListedVm> vms = driver.parseListing(ESXI, listing);

        assertEquals(List.of(
                new ListedVm("vCenter VM", "12", null, "/vmfs/volumes/datastore2/vCenter VM/vCenter VM.vmx"),
                new ListedVm("Admin", "13", null, DATASTORE + "/Admin/Admin.vmx")), vms);
    }

    @Test
    void refusesOutputThatIsNotTheVmTable() {
        assertThrows(IllegalStateException.class, () -> driver.parseListing(ESXI, "Connection failed\n"));
    }

    @Test
    void capturesANodeByItsPowerStateAndItsQuotedVmx() {
        var vm = new ListedVm("Ctrl", "2", null, DATASTORE + "/Ctrl/Ctrl.vmx");

        assertEquals(List.of("vim-cmd vmsvc/power.getstate 2", "cat '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'"),
                driver.captureCommands(ESXI, vm, true));
        assertEquals(List.of("vim-cmd vmsvc/power.getstate 2"), driver.captureCommands(ESXI, vm, false));
    }

    @Test
    void readsTheNodesPowerMacsAndConfigFromTheLabsOutput() {
        var vm = new ListedVm("Ctrl", "2", null, DATASTORE + "/Ctrl/Ctrl.vmx");
        String vmx = labOutput("esxi-Ctrl.vmx");

        DiscoveredVm on = driver.parseCapture(vm, true, List.of(labOutput("esxi-power.getstate-on.txt"), vmx));
        assertEquals(new DiscoveredVm("Ctrl", "2", "ON", List.of("00:50:56:a1:00:02"), vmx), on);

        DiscoveredVm off = driver.parseCapture(vm, false, List.of(labOutput("esxi-power.getstate-off.txt")));
        assertEquals(new DiscoveredVm("Ctrl", "2", "OFF", List.of(), null), off);
    }

    @Test
    void takesTheStaticAddressOfAStaticNicAndSkipsAbsentNics() {
        var vmx = VmxConfig.parse("""
                displayName = "Admin"
                ethernet0.present = "TRUE"
                ethernet0.addressType = "generated"
                ethernet0.generatedAddress = "00:50:56:A1:00:01"
                ethernet1.present = "TRUE"
                ethernet1.addressType = "static"
                ethernet1.generatedAddress = "00:50:56:a1:00:99"
                ethernet1.address = "00:50:56:3F:00:10"
                ethernet2.present = "FALSE"
                ethernet2.generatedAddress = "00:50:56:a1:00:03"
                """);

        assertEquals(List.of("00:50:56:a1:00:01", "00:50:56:3f:00:10"), vmx.macs());
    }

    @Test
    void masksPasswordsInTheKeptConfig() {
        String text = VmxConfig.parse("""
                displayName = "Admin"
                RemoteDisplay.vnc.password = "hunter2"
                guestinfo.adminPassword = "s3cret"
                guestinfo.hostname = "admin"
                """).text();

        assertFalse(text.contains("hunter2") || text.contains("s3cret"), text);
        assertTrue(text.contains("RemoteDisplay.vnc.password = \"(redacted)\""), text);
        assertTrue(text.contains("guestinfo.hostname = \"admin\""), text);
    }

    @Test
    void refusesAVmxPathThatCouldEscapeIntoAShell() {
        var vm = new ListedVm("Admin", "1", null, "/vmfs/volumes/datastore1/Admin/$(touch x).vmx");
        assertThrows(UnsafeValueException.class, () -> driver.captureCommands(ESXI, vm, true));
        var badId = new ListedVm("Admin", "1; reboot", null, DATASTORE + "/Admin/Admin.vmx");
        assertThrows(UnsafeValueException.class, () -> driver.captureCommands(ESXI, badId, false));
    }

    @Test
    void aVmWithoutAPowerStateIsAnError() {
        var vm = new ListedVm("Admin", "1", null, null);
        assertThrows(IllegalStateException.class,
                () -> driver.parseCapture(vm, false, List.of("Retrieved runtime info\n")));
        assertNull(GetAllVmsListing.parse("Vmid   Name   File   Guest OS   Version   Annotation\n", DATASTORE)
                .stream().findFirst().orElse(null));
    }

    static String labOutput(String name) {
        try (var in = VimCmdDiscoveryTest.class.getResourceAsStream("/lab-output/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

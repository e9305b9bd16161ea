package moonshot.executor.vzdump;

import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerAction;
import moonshot.contract.RestoreNode;
import moonshot.executor.dialect.PowerDriver.Located;
import moonshot.executor.dialect.RestoreDriver.Restored;
import moonshot.executor.dialect.RestoreFailedException;
import moonshot.executor.dialect.ScriptedShell;
import moonshot.executor.dialect.UnsafeValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.UUID;

import static moonshot.executor.vzdump.VirshDiscoveryTest.labOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KVM power and restore: virsh and vzdump commands built from validated values, on what the lab prints. */
class VirshPowerAndVzdumpRestoreTest {

    /** The captured domain XML's disk lives here (the lab ran under /tmp/capture). */
    static final String IMAGES = "/tmp/capture/lab/kvm-01/var/lib/libvirt/images";
    static final String DUMP = "/var/lib/vz/dump";
    static final String ARCHIVE = DUMP + "/2026-11-27/vzdump-qemu-34-2026_11_27-22_00_00.vma.lzo";
    static final String MAC = "52:54:00:b2:00:22";
    static final HypervisorConnection KVM = new HypervisorConnection("kvm-01", HypervisorKind.KVM, Dialect.VZDUMP,
            "127.0.0.1", 22, "root", "id_lab", "SHA256:x", DUMP, IMAGES);
    static final String LIST_ALL_CONTROLLER_OFF = """
             Id   Name         State
            -----------------------------
             1    Admin_node   running
             3    Compute      running
             -    Controller   shut off

            """;
    final VirshPowerDriver power = new VirshPowerDriver();
    final VzdumpRestoreDriver restore = new VzdumpRestoreDriver();

    // --- power -------------------------------------------------------------------------------------------------

    @Test
    void namesTheDomainByItsQuotedNameInEveryPowerCommand() {
        Located controller = power.locate(KVM, "Controller", null);

        assertEquals(null, power.locateCommand(), "virsh needs no listing to find a domain");
        assertEquals("virsh domstate 'Controller'", power.stateCommand(controller));
        assertEquals("virsh shutdown 'Controller'", power.actionCommand(controller, PowerAction.SHUTDOWN));
        assertEquals("virsh destroy 'Controller'", power.actionCommand(controller, PowerAction.POWER_OFF));
        assertEquals("virsh start 'Controller'", power.actionCommand(controller, PowerAction.POWER_ON));
    }

    @Test
    void readsLibvirtsStatesAsOnOrOff() {
        Located vm = new Located("Controller", "Controller");
        assertEquals("ON", power.parseState(vm, "running\n\n"));
        assertEquals("OFF", power.parseState(vm, "shut off\n\n"));
        assertEquals("ON", power.parseState(vm, "in shutdown\n\n"), "a guest still shutting down is not off yet");
        assertEquals("ON", power.parseState(vm, "paused\n\n"));
        assertThrows(IllegalStateException.class, () -> power.parseState(vm, "\n"));
        assertThrows(IllegalStateException.class, () -> power.parseState(vm, "error: failed to connect\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Controller; reboot", "$(reboot)", "`reboot`", "Controller'", "Con troller",
            "Controller\nreboot", ""})
    void refusesAHostileDomainName(String name) {
        assertThrows(UnsafeValueException.class, () -> power.locate(KVM, name, null));
        assertThrows(UnsafeValueException.class, () -> power.actionCommand(new Located(name, name),
                PowerAction.POWER_ON));
    }

    @Test
    void aNameWithShellCharactersInventoryAllowsIsQuoted() {
        assertEquals("virsh start '-.Controller_2'", power.actionCommand(power.locate(KVM, "-.Controller_2", null),
                PowerAction.POWER_ON));
    }

    // --- restore -----------------------------------------------------------------------------------------------

    @Test
    void removesTheDisksRestoresTheArchiveAndVerifiesNameAndMacs() {
        var shell = controllerOff()
                .answer("rm -f -- '" + IMAGES + "/Controller.qcow2'", "")
                .answer("vzdump --restore '" + ARCHIVE + "' 34", "restore vma archive: …\n")
                .answer("virsh list --all", LIST_ALL_CONTROLLER_OFF)
                .answer("virsh domiflist 'Controller'", labOutput("kvm-virsh-domiflist-Controller.txt"));

        Restored restored = restore.restore(KVM, command("Controller", 34, ARCHIVE, List.of(MAC)), shell);

        assertEquals(new Restored("34", List.of(MAC)), restored);
        assertEquals(List.of(
                "virsh domstate 'Controller'",
                "virsh dumpxml 'Controller'",
                "rm -f -- '" + IMAGES + "/Controller.qcow2'",
                "vzdump --restore '" + ARCHIVE + "' 34",
                "virsh list --all",
                "virsh domiflist 'Controller'"), shell.ran());
        assertEquals(List.of("rm -f -- '" + IMAGES + "/Controller.qcow2'", "vzdump --restore '" + ARCHIVE + "' 34"),
                shell.ranLong());
    }

    @Test
    void anUndefinedDomainHasNothingToRemoveAndIsRestored() {
        var shell = new ScriptedShell()
                .answer("virsh domstate 'Controller'", 1, "", "error: failed to get domain 'Controller'\n")
                .answer("vzdump --restore '" + ARCHIVE + "' 34", "")
                .answer("virsh list --all", LIST_ALL_CONTROLLER_OFF)
                .answer("virsh domiflist 'Controller'", labOutput("kvm-virsh-domiflist-Controller.txt"));

        assertEquals("34", restore.restore(KVM, command("Controller", 34, ARCHIVE, List.of(MAC)), shell).vmId());
        assertTrue(shell.ran().stream().noneMatch(c -> c.startsWith("rm ")), shell.ran().toString());
    }

    @Test
    void refusesARunningDomainBeforeChangingAnything() {
        var shell = new ScriptedShell().answer("virsh domstate 'Controller'", "running\n\n");

        var refused = assertThrows(RestoreFailedException.class,
                () -> restore.restore(KVM, command("Controller", 34, ARCHIVE, List.of(MAC)), shell));

        assertEquals("Controller is running: power it off first; nothing was changed", refused.getMessage());
        assertEquals(List.of("virsh domstate 'Controller'"), shell.ran());
    }

    @Test
    void refusesToRemoveADiskOutsideTheRunningDatastore() {
        var shell = new ScriptedShell()
                .answer("virsh domstate 'Controller'", "shut off\n\n")
                .answer("virsh dumpxml 'Controller'", labOutput("kvm-virsh-dumpxml-Controller.xml")
                        .replace(IMAGES + "/Controller.qcow2", "/etc/passwd"));

        assertThrows(UnsafeValueException.class,
                () -> restore.restore(KVM, command("Controller", 34, ARCHIVE, List.of(MAC)), shell));
        assertTrue(shell.ran().stream().noneMatch(c -> c.startsWith("rm ") || c.startsWith("vzdump")));
    }

    @Test
    void failsWithExactlyTheMacsThatDiffer() {
        var shell = controllerOff()
                .answer("rm -f -- '" + IMAGES + "/Controller.qcow2'", "")
                .answer("vzdump --restore '" + ARCHIVE + "' 34", "")
                .answer("virsh list --all", LIST_ALL_CONTROLLER_OFF)
                .answer("virsh domiflist 'Controller'", labOutput("kvm-virsh-domiflist-Controller.txt"));

        var failed = assertThrows(RestoreFailedException.class,
                () -> restore.restore(KVM, command("Controller", 34, ARCHIVE, List.of("52:54:00:b2:00:99")), shell));
        assertEquals("Controller was restored as VMID 34 but differs: expected MACs [52:54:00:b2:00:99], found "
                + "[52:54:00:b2:00:22] (missing 52:54:00:b2:00:99; unexpected 52:54:00:b2:00:22)", failed.getMessage());
    }

    @Test
    void failsWhenTheRestoredArchiveHeldAnotherDomain() {
        var shell = controllerOff()
                .answer("rm -f -- '" + IMAGES + "/Controller.qcow2'", "")
                .answer("vzdump --restore '" + ARCHIVE + "' 34", "")
                .answer("virsh list --all", LIST_ALL_CONTROLLER_OFF.replace("Controller", "Other     "));

        var failed = assertThrows(RestoreFailedException.class,
                () -> restore.restore(KVM, command("Controller", 34, ARCHIVE, null), shell));
        assertTrue(failed.getMessage().contains("does not list Controller"), failed.getMessage());
    }

    @Test
    void aFailedRestoreCarriesVzdumpsOwnErrorLines() {
        var shell = controllerOff()
                .answer("rm -f -- '" + IMAGES + "/Controller.qcow2'", "")
                .answer("vzdump --restore '" + ARCHIVE + "' 34", 255, "", "vma: restore failed - blk_pwrite failed "
                        + "(-28): No space left on device\nERROR: unable to restore VM 34 - command 'vma extract' "
                        + "failed: exit code 133\n");

        var failed = assertThrows(RestoreFailedException.class,
                () -> restore.restore(KVM, command("Controller", 34, ARCHIVE, null), shell));
        assertEquals("`vzdump --restore '" + ARCHIVE + "' 34` exited 255: vma: restore failed - blk_pwrite failed "
                + "(-28): No space left on device\nERROR: unable to restore VM 34 - command 'vma extract' failed: exit "
                + "code 133", failed.getMessage(), "all of the tool's stderr and its exit status");
    }

    @ParameterizedTest
    @ValueSource(strings = {DUMP + "/2026-11-27/vzdump-qemu-35-2026_11_27-22_00_00.vma.lzo",
            DUMP + "/2026-11-27/vzdump-qemu-34-2026_11_27-22_00_00.vma.dat",
            DUMP + "/2026-11-27/vzdump-qemu-34-2026_11_27-22_00_00.log",
            IMAGES + "/vzdump-qemu-34-2026_11_27-22_00_00.vma.lzo",
            DUMP + "/../../../etc/vzdump-qemu-34-1.vma", DUMP, "vzdump-qemu-34-1.vma",
            DUMP + "/x/vzdump-qemu-34-$(reboot).vma"})
    void refusesAnArtifactThatIsNotAnArchiveOfTheVmidInTheBackupTarget(String artifact) {
        var shell = new ScriptedShell();
        assertThrows(UnsafeValueException.class,
                () -> restore.restore(KVM, command("Controller", 34, artifact, null), shell));
        assertEquals(List.of(), shell.ran());
    }

    @Test
    void refusesAMissingVmidAndAHostileNameWithoutRunningAnything() {
        var shell = new ScriptedShell();
        assertThrows(UnsafeValueException.class,
                () -> restore.restore(KVM, command("Controller", null, ARCHIVE, null), shell));
        assertThrows(UnsafeValueException.class,
                () -> restore.restore(KVM, command("Controller'; reboot; '", 34, ARCHIVE, null), shell));
        assertEquals(List.of(), shell.ran());
    }

    @Test
    void readsOnlyTheDiskFilesOfADomainNotItsInstallationMedia() {
        String xml = labOutput("kvm-virsh-dumpxml-Controller.xml").replace("</devices>", """
                  <disk type='file' device='cdrom'>
                    <source file='/var/lib/libvirt/boot/sles12.iso'/>
                  </disk>
                  <disk type="file" device="disk">
                    <source file="/var/lib/libvirt/images/Controller-data.qcow2"/>
                  </disk>
                </devices>""");

        assertEquals(List.of(IMAGES + "/Controller.qcow2", "/var/lib/libvirt/images/Controller-data.qcow2"),
                DomainXmlConfig.diskFiles("Controller", xml));
        assertThrows(IllegalStateException.class, () -> DomainXmlConfig.diskFiles("Compute", xml));
    }

    private static ScriptedShell controllerOff() {
        return new ScriptedShell()
                .answer("virsh domstate 'Controller'", "shut off\n\n")
                .answer("virsh dumpxml 'Controller'", labOutput("kvm-virsh-dumpxml-Controller.xml"));
    }

    static RestoreNode command(String vm, Integer vmid, String artifact, List<String> macs) {
        return new RestoreNode(UUID.randomUUID(), UUID.randomUUID(), "mh-kvm", NodeRole.CONTROLLER, vm, vmid,
                artifact, macs);
    }
}

package moonshot.executor.xsibackup;

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

import static moonshot.executor.xsibackup.VimCmdDiscoveryTest.labOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ESXi power and restore: the commands the seed names, built from validated values, on what the lab prints. */
class VimCmdPowerAndRestoreTest {

    static final String DATASTORE = "/vmfs/volumes/datastore1";
    static final String POINT = "/vmfs/volumes/backup";
    static final String BACKUP = POINT + "/20261127220000/Ctrl";
    static final String MAC = "00:50:56:a1:00:02";
    static final HypervisorConnection ESXI = new HypervisorConnection("esxi-01", HypervisorKind.ESXI,
            Dialect.XSIBACKUP_CLASSIC, "127.0.0.1", 22, "root", "id_lab", "SHA256:x", POINT, DATASTORE);
    static final String RESTORED_LISTING = """
            Vmid   Name    File                           Guest OS         Version   Annotation
            1      Admin   [datastore1] Admin/Admin.vmx   sles12_64Guest   vmx-13
            3      Bm      [datastore1] Bm/Bm.vmx         sles12_64Guest   vmx-13
            4      Ctrl    [datastore1] Ctrl/Ctrl.vmx     sles12_64Guest   vmx-13
            """;
    final VimCmdPowerDriver power = new VimCmdPowerDriver();
    final XsiBackupRestoreDriver restore = new XsiBackupRestoreDriver();

    // --- power -------------------------------------------------------------------------------------------------

    @Test
    void findsTheVmidByNameAndBuildsEachPowerCommandOnIt() {
        Located ctrl = power.locate(ESXI, "Ctrl", labOutput("esxi-vim-cmd-getallvms.txt"));

        assertEquals(new Located("Ctrl", "2"), ctrl);
        assertEquals("vim-cmd vmsvc/getallvms", power.locateCommand());
        assertEquals("vim-cmd vmsvc/power.getstate 2", power.stateCommand(ctrl));
        assertEquals("vim-cmd vmsvc/power.shutdown 2", power.actionCommand(ctrl, PowerAction.SHUTDOWN));
        assertEquals("vim-cmd vmsvc/power.off 2", power.actionCommand(ctrl, PowerAction.POWER_OFF));
        assertEquals("vim-cmd vmsvc/power.on 2", power.actionCommand(ctrl, PowerAction.POWER_ON));
    }

    @Test
    void readsThePowerStateTheLabPrints() {
        Located ctrl = new Located("Ctrl", "2");
        assertEquals("ON", power.parseState(ctrl, labOutput("esxi-power.getstate-on.txt")));
        assertEquals("OFF", power.parseState(ctrl, labOutput("esxi-power.getstate-off.txt")));
        assertThrows(IllegalStateException.class, () -> power.parseState(ctrl, "Retrieved runtime info\n"));
    }

    @Test
    void aVmThatIsNotRegisteredCannotBeLocated() {
        var missing = assertThrows(IllegalStateException.class,
                () -> power.locate(ESXI, "Nope", labOutput("esxi-vim-cmd-getallvms.txt")));
        assertTrue(missing.getMessage().contains("VM Nope is not registered on hypervisor esxi-01"),
                missing.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ctrl; reboot", "$(reboot)", "`reboot`", "Ctrl'", "Ct rl", "Ctrl\nreboot", ""})
    void refusesAHostileVmName(String name) {
        assertThrows(UnsafeValueException.class, () -> power.locate(ESXI, name,
                labOutput("esxi-vim-cmd-getallvms.txt")));
    }

    @Test
    void neverPutsAVmidThatIsNotANumberIntoACommand() {
        assertThrows(UnsafeValueException.class, () -> power.actionCommand(new Located("Ctrl", "2; reboot"),
                PowerAction.POWER_ON));
        assertThrows(UnsafeValueException.class, () -> power.stateCommand(new Located("Ctrl", "$(id)")));
    }

    // --- restore -----------------------------------------------------------------------------------------------

    @Test
    void unregistersRemovesCopiesRegistersAndVerifiesInThatOrder() {
        var shell = ctrlRegisteredAndOff()
                .answer("vim-cmd vmsvc/unregister 2", "")
                .answer("rm -rf -- '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("vim-cmd solo/registervm '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'", "4\n")
                .answer("vim-cmd vmsvc/getallvms", RESTORED_LISTING)
                .answer("cat -- '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'", labOutput("esxi-Ctrl.vmx"));

        Restored restored = restore.restore(ESXI, command("Ctrl", BACKUP, List.of(MAC)), shell);

        assertEquals(new Restored("4", List.of(MAC)), restored, "ESXi gives a new Vmid; it is reported as it is");
        assertEquals(List.of(
                "vim-cmd vmsvc/getallvms",
                "vim-cmd vmsvc/power.getstate 2",
                "cat -- '" + BACKUP + "/Ctrl.vmx'",
                "vim-cmd vmsvc/unregister 2",
                "rm -rf -- '/vmfs/volumes/datastore1/Ctrl'",
                "cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'",
                "vim-cmd solo/registervm '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'",
                "vim-cmd vmsvc/getallvms",
                "cat -- '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'"), shell.ran());
        assertEquals(List.of("rm -rf -- '/vmfs/volumes/datastore1/Ctrl'",
                "cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'"), shell.ranLong());
    }

    @Test
    void aVmThatIsNoLongerRegisteredIsCopiedBackAndRegistered() {
        var shell = new ScriptedShell()
                .answer("cat -- '" + BACKUP + "/Ctrl.vmx'", labOutput("esxi-Ctrl.vmx"))
                .answer("vim-cmd vmsvc/getallvms",
                        labOutput("esxi-vim-cmd-getallvms.txt").replaceAll("(?m)^2 .*\n", ""))
                .answer("vim-cmd vmsvc/getallvms", RESTORED_LISTING)
                .answer("rm -rf -- '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("vim-cmd solo/registervm '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'", "4\n")
                .answer("cat -- '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'", labOutput("esxi-Ctrl.vmx"));

        assertEquals("4", restore.restore(ESXI, command("Ctrl", BACKUP, null), shell).vmId());
        assertTrue(shell.ran().stream().noneMatch(c -> c.contains("unregister") || c.contains("getstate")),
                shell.ran().toString());
    }

    @Test
    void refusesARunningVmBeforeChangingAnything() {
        var shell = new ScriptedShell()
                .answer("vim-cmd vmsvc/getallvms", labOutput("esxi-vim-cmd-getallvms.txt"))
                .answer("vim-cmd vmsvc/power.getstate 2", labOutput("esxi-power.getstate-on.txt"));

        var refused = assertThrows(RestoreFailedException.class,
                () -> restore.restore(ESXI, command("Ctrl", BACKUP, List.of(MAC)), shell));

        assertEquals("Ctrl is running (Vmid 2): power it off first; nothing was changed", refused.getMessage());
        assertEquals(List.of("vim-cmd vmsvc/getallvms", "vim-cmd vmsvc/power.getstate 2"), shell.ran());
    }

    @Test
    void aBackupWhoseMacsDifferFromTheCapturedOnesIsRefusedBeforeAnythingIsDeleted() {
        var shell = ctrlRegisteredAndOff();

        var failed = assertThrows(RestoreFailedException.class,
                () -> restore.restore(ESXI, command("Ctrl", BACKUP, List.of("00:50:56:a1:00:99")), shell));

        assertEquals("the backup's Ctrl.vmx does not have the MACs captured at backup time: expected MACs "
                + "[00:50:56:a1:00:99], found [00:50:56:a1:00:02] (missing 00:50:56:a1:00:99; unexpected "
                + "00:50:56:a1:00:02); nothing was changed", failed.getMessage());
        assertTrue(shell.ran().stream().noneMatch(c -> c.contains("unregister") || c.startsWith("rm ")),
                shell.ran().toString());
    }

    @Test
    void failsWhenTheRegisteredVmxHasOtherMacsThanExpected() {
        var shell = ctrlRegisteredAndOff()
                .answer("vim-cmd vmsvc/unregister 2", "")
                .answer("rm -rf -- '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("vim-cmd solo/registervm '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'", "4\n")
                .answer("vim-cmd vmsvc/getallvms", RESTORED_LISTING)
                .answer("cat -- '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'",
                        labOutput("esxi-Ctrl.vmx").replace(MAC, "00:50:56:a1:00:77"));

        var failed = assertThrows(RestoreFailedException.class,
                () -> restore.restore(ESXI, command("Ctrl", BACKUP, List.of(MAC)), shell));
        assertTrue(failed.getMessage().startsWith("Ctrl was restored as Vmid 4 but its registered .vmx differs: "
                + "expected MACs [00:50:56:a1:00:02], found [00:50:56:a1:00:77]"), failed.getMessage());
    }

    @Test
    void failsWhenTheVmIsNotListedUnderTheVmidItWasRegisteredWith() {
        var shell = ctrlRegisteredAndOff()
                .answer("vim-cmd vmsvc/unregister 2", "")
                .answer("rm -rf -- '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("vim-cmd solo/registervm '/vmfs/volumes/datastore1/Ctrl/Ctrl.vmx'", "5\n")
                .answer("vim-cmd vmsvc/getallvms", RESTORED_LISTING);

        var failed = assertThrows(RestoreFailedException.class,
                () -> restore.restore(ESXI, command("Ctrl", BACKUP, List.of(MAC)), shell));
        assertEquals("after registration as Vmid 5, Ctrl is listed as Vmid 4", failed.getMessage());
    }

    @Test
    void aToolFailureCarriesTheToolsOwnWords() {
        var shell = ctrlRegisteredAndOff()
                .answer("vim-cmd vmsvc/unregister 2", "")
                .answer("rm -rf -- '/vmfs/volumes/datastore1/Ctrl'", "")
                .answer("cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'", 1, "",
                        "cp: write error: No space left on device\n");

        var failed = assertThrows(RestoreFailedException.class,
                () -> restore.restore(ESXI, command("Ctrl", BACKUP, List.of(MAC)), shell));
        assertEquals("`cp -r -- '" + BACKUP + "' '/vmfs/volumes/datastore1/Ctrl'` exited 1: cp: write error: No space "
                + "left on device", failed.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "Ctrl; reboot", "$(reboot)", "Ctrl'", "Ct rl", ""})
    void refusesAHostileVmNameWithoutRunningAnything(String vm) {
        var shell = new ScriptedShell();
        assertThrows(UnsafeValueException.class,
                () -> restore.restore(ESXI, command(vm, POINT + "/20261127220000/" + vm, null), shell));
        assertEquals(List.of(), shell.ran());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/vmfs/volumes/datastore1/Ctrl", "/vmfs/volumes/backup/20261127220000/Bm",
            "/vmfs/volumes/backup/../datastore1/Ctrl", "/vmfs/volumes/backup", "/etc/Ctrl", "relative/Ctrl",
            "/vmfs/volumes/backup/x'; reboot; '/Ctrl"})
    void refusesAnArtifactThatIsNotABackupFolderOfTheVmWithoutRunningAnything(String artifact) {
        var shell = new ScriptedShell();
        assertThrows(UnsafeValueException.class, () -> restore.restore(ESXI, command("Ctrl", artifact, null), shell));
        assertEquals(List.of(), shell.ran());
    }

    @Test
    void readsTheVmidRegistervmPrints() {
        assertEquals("12", XsiBackupRestoreDriver.registeredVmid("12\n"));
        assertThrows(RestoreFailedException.class, () -> XsiBackupRestoreDriver.registeredVmid(""));
        assertThrows(RestoreFailedException.class, () -> XsiBackupRestoreDriver.registeredVmid("done\n"));
    }

    private static ScriptedShell ctrlRegisteredAndOff() {
        return new ScriptedShell()
                .answer("vim-cmd vmsvc/getallvms", labOutput("esxi-vim-cmd-getallvms.txt"))
                .answer("vim-cmd vmsvc/power.getstate 2", labOutput("esxi-power.getstate-off.txt"))
                .answer("cat -- '" + BACKUP + "/Ctrl.vmx'", labOutput("esxi-Ctrl.vmx"));
    }

    static RestoreNode command(String vm, String artifact, List<String> macs) {
        return new RestoreNode(UUID.randomUUID(), UUID.randomUUID(), "mh-esxi", NodeRole.CONTROLLER, vm, null,
                artifact, macs);
    }
}

package moonshot.executor.dialect;

import moonshot.contract.BackupTarget;
import moonshot.contract.NodeRole;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.vzdump.VzdumpDriver;
import moonshot.executor.xsibackup.XsiBackupClassicDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup's artifact is what is new on the hypervisor, found by the driver's listing in a real shell, never a line of
 * the tool's output; its format must be one the dialect restores; two candidates are never guessed between.
 */
class ArtifactDiscoveryTest {

    static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");
    static final BackupTarget CTRL = new BackupTarget(NodeRole.CONTROLLER, "Ctrl", null);
    static final BackupTarget CONTROLLER = new BackupTarget(NodeRole.CONTROLLER, "Controller", 34);

    final LocalShell shell = new LocalShell();

    @Test
    void xsibackupsArtifactIsTheVmsDatedFolderThatIsNewSinceTheDispatch(@TempDir Path point) throws IOException {
        var driver = new XsiBackupClassicDriver();
        var hypervisor = BackupCommandsTest.esxi(point.toString());
        Files.createDirectories(point.resolve("20261126010000/Ctrl"));
        Files.createDirectories(point.resolve("20261126010000/Bm"));
        Files.createDirectories(point.resolve("notes/Ctrl"));
        Set<String> before = list(driver, hypervisor, CTRL);
        assertEquals(Set.of(point + "/20261126010000/Ctrl"), before, "only this VM's copies in dated folders");

        Files.createDirectories(point.resolve("20261127220000/Ctrl"));
        Files.createDirectories(point.resolve("20261127220000/Bm"));
        NewArtifact.Found found = NewArtifact.pick("Ctrl", point.toString(), before, list(driver, hypervisor, CTRL));
        assertEquals(point + "/20261127220000/Ctrl", found.path());
        assertNull(found.problem());
    }

    @Test
    void twoNewCandidatesFailWithBothNamedAndNoneFailsSayingWhereItLooked(@TempDir Path point) throws IOException {
        var driver = new XsiBackupClassicDriver();
        var hypervisor = BackupCommandsTest.esxi(point.toString());
        Set<String> before = list(driver, hypervisor, CTRL);
        NewArtifact.Found none = NewArtifact.pick("Ctrl", point.toString(), before, list(driver, hypervisor, CTRL));
        assertNull(none.path());
        assertTrue(none.problem().contains("no new backup of Ctrl was found in " + point), none.problem());

        Files.createDirectories(point.resolve("20261127220000/Ctrl"));
        Files.createDirectories(point.resolve("20261127220001/Ctrl"));
        NewArtifact.Found two = NewArtifact.pick("Ctrl", point.toString(), before, list(driver, hypervisor, CTRL));
        assertNull(two.path());
        assertTrue(two.problem().contains(point + "/20261127220000/Ctrl") && two.problem().contains(
                point + "/20261127220001/Ctrl"), two.problem());
    }

    @Test
    void vzdumpsArtifactIsTheNewArchiveOfTheVmidWhateverItsFormatAndNeverItsLogOrPartial(@TempDir Path target)
            throws IOException {
        var driver = new VzdumpDriver();
        var hypervisor = BackupCommandsTest.kvm(target.toString());
        Path dir = Files.createDirectories(target.resolve("2026-11-27"));
        Set<String> before = list(driver, hypervisor, CONTROLLER);
        assertEquals(Set.of(), before, "the dump directory may not exist yet: nothing, exit 0");

        Files.writeString(dir.resolve("vzdump-qemu-34-2026_11_27-22_00_00.log"), "log");
        Files.writeString(dir.resolve("vzdump-qemu-34-2026_11_27-22_00_00.dat"), "half");
        Files.writeString(dir.resolve("vzdump-qemu-35-2026_11_27-22_00_00.tgz"), "other VMID");
        Files.writeString(dir.resolve("vzdump-qemu-340-2026_11_27-22_00_00.tgz"), "VMID 340, not 34");
        assertEquals(Set.of(), list(driver, hypervisor, CONTROLLER));

        Files.writeString(dir.resolve("vzdump-qemu-34-2026_11_27-22_00_00.tgz"), "archive");
        NewArtifact.Found found = NewArtifact.pick("Controller", target.toString(), before,
                list(driver, hypervisor, CONTROLLER));
        assertEquals(dir + "/vzdump-qemu-34-2026_11_27-22_00_00.tgz", found.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {".tar", ".tgz", ".tar.lzo", ".vma", ".vma.lzo", ".vma.gz", ".vma.zst"})
    void everyFormatVzdumpWritesIsRestorable(String extension) {
        assertEquals(java.util.Optional.empty(), new VzdumpDriver().unrestorable(BackupCommandsTest.kvm("/d"),
                CONTROLLER, "/d/2026-11-27/vzdump-qemu-34-2026_11_27-22_00_00" + extension, shell));
    }

    @Test
    void anArchiveInAnotherFormatIsNotCountedAsABackup() {
        var why = new VzdumpDriver().unrestorable(BackupCommandsTest.kvm("/d"), CONTROLLER,
                "/d/2026-11-27/vzdump-qemu-34-2026_11_27-22_00_00.tar.xz", shell);
        assertTrue(why.orElseThrow().contains("does not restore"), why.toString());
    }

    @Test
    void anXsibackupFolderWithoutItsVmxOrDisksIsNotRestorable(@TempDir Path point) throws IOException {
        var driver = new XsiBackupClassicDriver();
        var hypervisor = BackupCommandsTest.esxi(point.toString());
        Path copy = Files.createDirectories(point.resolve("20261127220000/Ctrl"));
        Files.writeString(copy.resolve("Ctrl.vmdk"), "descriptor");
        assertTrue(driver.unrestorable(hypervisor, CTRL, copy.toString(), shell).orElseThrow().contains(".vmx"));
        Files.writeString(copy.resolve("Ctrl.vmx"), "displayName = \"Ctrl\"");
        assertFalse(driver.unrestorable(hypervisor, CTRL, copy.toString(), shell).isPresent());
    }

    @Test
    void theEsxiWitnessIsHostdsSnapshotIdOfTheVmLearntFromGetallvms() {
        var scripted = new ScriptedShell().answer("vim-cmd vmsvc/getallvms", """
                Vmid   Name    File                           Guest OS         Version   Annotation
                1      Admin   [datastore1] Admin/Admin.vmx   sles12_64Guest   vmx-13
                2      Ctrl    [datastore1] Ctrl/Ctrl.vmx     sles12_64Guest   vmx-13
                """);
        SnapshotWitness witness = new XsiBackupClassicDriver().snapshotWitness(BackupCommandsTest.esxi("/b"), CTRL,
                NOW, scripted);
        assertEquals("vim-cmd vmsvc/snapshot.get '2'", witness.pollCommand());
        String none = "Get Snapshot:\n";
        String leftover = """
                Get Snapshot:
                |-ROOT
                --Snapshot Name        : old
                --Snapshot Id        : 4
                --Snapshot Desciption  :\s
                --Snapshot Created On  : 11/26/2026 1:0:3
                --Snapshot State       : powered on
                """;
        Set<String> before = witness.marks().apply(leftover);
        assertEquals(Set.of("4"), before);
        assertFalse(witness.appeared(before, leftover), "a snapshot left by an earlier run is not this one");
        assertFalse(witness.appeared(before, none), "committed, and the new one not taken yet");
        assertTrue(witness.appeared(before, leftover.replace(": 4", ": 5")), "hostd gave the new snapshot a new id");
    }

    @Test
    void theVzdumpWitnessIsANewBaseNameOfTheVmidsFiles() {
        SnapshotWitness witness = new VzdumpDriver().snapshotWitness(BackupCommandsTest.kvm("/d"), CONTROLLER, NOW,
                new ScriptedShell());
        String earlier = "/d/2026-11-27/vzdump-qemu-34-2026_11_27-01_00_00.tgz\n"
                + "/d/2026-11-27/vzdump-qemu-34-2026_11_27-01_00_00.log\n";
        Set<String> before = witness.marks().apply(earlier);
        assertFalse(witness.appeared(before, earlier));
        assertTrue(witness.appeared(before, earlier + "/d/2026-11-27/vzdump-qemu-34-2026_11_27-22_00_00.log\n"));
    }

    private Set<String> list(BackupDriver driver, moonshot.contract.HypervisorConnection hypervisor,
                             BackupTarget target) {
        CommandResult listing = shell.run(driver.listArtifactsCommand(hypervisor, target, NOW));
        assertEquals(0, listing.exitStatus(), listing.stderr());
        return driver.artifacts(target, listing.stdout());
    }

}

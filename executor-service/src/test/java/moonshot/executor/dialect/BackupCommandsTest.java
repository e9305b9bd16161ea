package moonshot.executor.dialect;

import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.NodeRole;
import moonshot.executor.vzdump.VzdumpDriver;
import moonshot.executor.xsibackup.XsiBackupClassicDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command builders: the seed's commands, and nothing but them, whatever inventory holds. */
class BackupCommandsTest {

    static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");
    /** Answers no command: these drivers build their command without asking the hypervisor anything. */
    static final RemoteShell NOTHING_REMOTE = new ScriptedShell();
    static final List<String> HOSTILE = List.of("Admin; touch /tmp/pwned", "$(touch /tmp/pwned)", "`touch /tmp/pwned`",
            "Admin' ; touch /tmp/pwned; '", "Admin\"", "Ad min", "Admin\ntouch /tmp/pwned", "../../etc", "",
            "A".repeat(81), "Admin|id", "Admin&", "Admin>x");

    static HypervisorConnection esxi(String backupTarget) {
        return new HypervisorConnection("esxi-01", HypervisorKind.ESXI, Dialect.XSIBACKUP_CLASSIC, "127.0.0.1", 22,
                "root", "id_lab", "SHA256:x", backupTarget, "/vmfs/volumes/datastore1");
    }

    static HypervisorConnection kvm(String backupTarget) {
        return new HypervisorConnection("kvm-01", HypervisorKind.KVM, Dialect.VZDUMP, "127.0.0.1", 22, "root",
                "id_lab", "SHA256:x", backupTarget, "/var/lib/libvirt/images");
    }

    @Test
    void buildsTheSeedsXsibackupCommand() {
        assertEquals("xsibackup --backup-point='/vmfs/volumes/backup' --backup-type=custom --backup-vms='Admin'",
                new XsiBackupClassicDriver().backupCommand(esxi("/vmfs/volumes/backup"),
                        new BackupTarget(NodeRole.ADMIN, "Admin", null), NOW, NOTHING_REMOTE));
    }

    @Test
    void buildsTheSeedsVzdumpCommandWithTheDateFolderAndTheVmid() {
        assertEquals("vzdump --compress --dumpdir '/var/lib/vz/dump/2026-11-27' --snapshot 33",
                new VzdumpDriver().backupCommand(kvm("/var/lib/vz/dump"),
                        new BackupTarget(NodeRole.ADMIN, "Admin_node", 33), NOW, NOTHING_REMOTE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Admin; touch /tmp/pwned", "$(touch /tmp/pwned)", "`touch /tmp/pwned`",
            "Admin' ; touch /tmp/pwned; '", "Admin\"", "Ad min", "Admin\ntouch /tmp/pwned", "../../etc", "",
            "Admin|id", "Admin&", "Admin>x"})
    void refusesAHostileVmName(String name) {
        var error = assertThrows(UnsafeValueException.class, () -> new XsiBackupClassicDriver()
                .backupCommand(esxi("/vmfs/volumes/backup"), new BackupTarget(NodeRole.ADMIN, name, null), NOW, NOTHING_REMOTE));
        assertTrue(error.getMessage().startsWith("VM name"), error.getMessage());
        assertTrue(!error.getMessage().contains("\n"), "control characters are shown escaped: " + error.getMessage());
    }

    @Test
    void refusesAnOverlongVmName() {
        assertThrows(UnsafeValueException.class, () -> new XsiBackupClassicDriver().backupCommand(
                esxi("/b"), new BackupTarget(NodeRole.ADMIN, "A".repeat(81), null), NOW, NOTHING_REMOTE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/backup; touch /tmp/pwned", "/backup$(id)", "/backup`id`", "/backup'x", "relative/path",
            "/backup/../etc", "/backup\nid"})
    void refusesAHostileBackupTarget(String target) {
        assertThrows(UnsafeValueException.class, () -> new VzdumpDriver().backupCommand(kvm(target),
                new BackupTarget(NodeRole.ADMIN, "Admin_node", 33), NOW, NOTHING_REMOTE));
        assertThrows(UnsafeValueException.class, () -> new XsiBackupClassicDriver().backupCommand(esxi(target),
                new BackupTarget(NodeRole.ADMIN, "Admin", null), NOW, NOTHING_REMOTE));
    }

    @Test
    void refusesAMissingOrNegativeVmid() {
        assertThrows(UnsafeValueException.class, () -> new VzdumpDriver().backupCommand(kvm("/d"),
                new BackupTarget(NodeRole.ADMIN, "Admin_node", null), NOW, NOTHING_REMOTE));
        assertThrows(UnsafeValueException.class, () -> new VzdumpDriver().backupCommand(kvm("/d"),
                new BackupTarget(NodeRole.ADMIN, "Admin_node", -1), NOW, NOTHING_REMOTE));
    }

    @Test
    void quotesAPathWithASpaceSoItStaysOneArgument() {
        assertEquals("xsibackup --backup-point='/vmfs/volumes/backup 2' --backup-type=custom --backup-vms='Admin'",
                new XsiBackupClassicDriver().backupCommand(esxi("/vmfs/volumes/backup 2"),
                        new BackupTarget(NodeRole.ADMIN, "Admin", null), NOW, NOTHING_REMOTE));
    }

    /** Single quoting holds against a real shell: every hostile string comes back as exactly one argument. */
    @Test
    void quotedValuesReachARealShellAsOneLiteralArgument(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException, InterruptedException {
        Path canary = dir.resolve("pwned");
        for (String hostile : HOSTILE) {
            String value = hostile.replace("/tmp/pwned", canary.toString());
            var process = new ProcessBuilder("/bin/sh", "-c", "printf '%s' " + ShellQuote.quote(value)).start();
            String echoed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            assertEquals(value, echoed);
        }
        assertTrue(Files.notExists(canary), "no hostile value ran a command");
    }

    @Test
    void measuresAFileAndAFolderWithARealShell(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.vma.lzo"), "archive");
        Path folder = Files.createDirectories(dir.resolve("Admin"));
        Files.writeString(folder.resolve("Admin.vmx"), "displayName = \"Admin\"");
        for (Path artifact : List.of(file, folder)) {
            var process = new ProcessBuilder("/bin/sh", "-c", ArtifactMeasurement.command(artifact.toString())).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor());
            var measured = ArtifactMeasurement.parse(out);
            assertTrue(measured.sizeBytes() > 0);
            assertEquals(64, measured.sha256().length());
        }
    }

    @Test
    void readsMacsFromAVmxAndFromDomainXml() {
        assertEquals(List.of("00:50:56:aa:bb:01", "00:50:56:aa:bb:02"), VmConfigs.macs("""
                displayName = "Admin"
                ethernet0.generatedAddress = "00:50:56:AA:BB:01"
                ethernet1.address = "00:50:56:aa:bb:02"
                """));
        assertEquals(List.of("52:54:00:12:34:56"), VmConfigs.macs("""
                <domain type='kvm'><name>Controller</name><devices>
                <interface type='bridge'><mac address='52:54:00:12:34:56'/></interface></devices></domain>"""));
    }

    @Test
    void removesOnlyThisVmsPartialsWithQuotedValues() {
        String xsi = new XsiBackupClassicDriver().removePartialCommand(esxi("/vmfs/volumes/backup 2"),
                new BackupTarget(NodeRole.ADMIN, "Admin", null), NOW);
        assertEquals("find '/vmfs/volumes/backup 2' -mindepth 2 -maxdepth 2 -type d -name 'Admin' -newermt @"
                + (NOW.getEpochSecond() - 1) + " -print -exec rm -rf -- {} +", xsi);
        String vz = new VzdumpDriver().removePartialCommand(kvm("/var/lib/vz/dump"),
                new BackupTarget(NodeRole.ADMIN, "Admin_node", 33), NOW);
        assertEquals("find '/var/lib/vz/dump' -maxdepth 2 -type f -name 'vzdump-qemu-33-*.dat' -print -delete", vz);
    }
}

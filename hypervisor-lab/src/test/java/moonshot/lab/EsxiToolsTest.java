package moonshot.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EsxiToolsTest {
    private static final Pattern FOLDER = Pattern.compile("(?m)^Backup folder: (.+)$");

    @TempDir
    static Path dir;
    static HypervisorLab lab;

    @BeforeAll
    static void startLab() throws IOException {
        lab = HypervisorLab.start(dir);
    }

    @AfterAll
    static void stopLab() {
        lab.close();
    }

    private static SimulatedHost esxi(String name) throws IOException {
        return lab.addHost(new HostSpec(name, HypervisorKind.ESXI, 0, List.of(
                new VmSpec("Admin", null, List.of("00:50:56:aa:bb:01"), true),
                new VmSpec("Ctrl", null, List.of("00:50:56:aa:bb:02", "00:50:56:aa:bb:12"), true),
                new VmSpec("Bm", null, List.of("00:50:56:aa:bb:03"), false)),
                Duration.ofMillis(300), Duration.ofMillis(50)));
    }

    @Test
    void listsVmsAsGetallvmsDoes() throws IOException {
        SimulatedHost host = esxi("esxi-list");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result r = ssh.run("vim-cmd vmsvc/getallvms");
            assertEquals(0, r.exit());
            assertEquals("""
                    Vmid   Name    File                           Guest OS         Version   Annotation
                    1      Admin   [datastore1] Admin/Admin.vmx   sles12_64Guest   vmx-13   \s
                    2      Ctrl    [datastore1] Ctrl/Ctrl.vmx     sles12_64Guest   vmx-13   \s
                    3      Bm      [datastore1] Bm/Bm.vmx         sles12_64Guest   vmx-13   \s
                    """, r.out());
            assertEquals("Retrieved runtime info\nPowered on\n", ssh.run("vim-cmd vmsvc/power.getstate 1").out());
            assertEquals("Retrieved runtime info\nPowered off\n", ssh.run("vim-cmd vmsvc/power.getstate 3").out());
            LabSsh.Result unknown = ssh.run("vim-cmd vmsvc/power.getstate 42");
            assertEquals(1, unknown.exit());
            assertEquals("Unable to find a VM corresponding to \"42\"\n", unknown.err());
            assertTrue(ssh.run("grep generatedAddress vmfs/volumes/datastore1/Ctrl/Ctrl.vmx").out()
                    .contains("ethernet1.generatedAddress = \"00:50:56:aa:bb:12\""));
        }
        assertEquals(List.of("00:50:56:aa:bb:02", "00:50:56:aa:bb:12"), host.macs("Ctrl"));
    }

    @Test
    void xsibackupCopiesTheVmIntoATimestampedFolderAndLogsTheSnapshot() throws IOException {
        SimulatedHost host = esxi("esxi-backup");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result r = ssh.run("xsibackup --backup-point=" + host.backupTarget()
                    + " --backup-type=custom --backup-vms=Admin");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("\nBacking up VM Admin\n"), r.out());
            assertTrue(r.out().contains("\nSnapshot created\n"), r.out());
            assertTrue(r.out().contains("\nBackup of Admin finished ("), r.out());
            Matcher m = FOLDER.matcher(r.out());
            assertTrue(m.find(), r.out());
            assertTrue(r.out().endsWith("Backup folder: " + m.group(1) + "\n"), "the folder is the last line");
            Path folder = Path.of(m.group(1));
            assertTrue(folder.getFileName().toString().matches("\\d{14}"));
            Path copy = folder.resolve("Admin");
            assertTrue(Files.exists(copy.resolve("Admin.vmx")));
            assertTrue(Files.exists(copy.resolve("Admin.vmdk")));
            assertEquals(Files.mismatch(copy.resolve("Admin-flat.vmdk"),
                    host.runningDatastore().resolve("Admin/Admin-flat.vmdk")), -1L);
        }
        List<LabAction> actions = host.actions();
        LabAction snapshot = actions.stream().filter(a -> a.action().equals("SNAPSHOT_STARTED")).findFirst()
                .orElseThrow();
        assertEquals("xsibackup", snapshot.tool());
        assertEquals("Admin", snapshot.detail("vm"));
        assertTrue(actions.stream().anyMatch(a -> a.action().equals("BACKUP_FINISHED") && "Admin".equals(a.detail("vm"))));
    }

    @Test
    void xsibackupBacksListedVmsUpOneAfterAnotherAndSaysWhenEachSnapshotStarted() throws IOException {
        SimulatedHost host = esxi("esxi-serial");
        LabSsh.Result r;
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            r = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Ctrl,Bm");
            assertEquals(0, r.exit(), r.err());
        }
        List<LabAction> a = host.actions();
        LabAction ctrlDone = find(a, "BACKUP_FINISHED", "Ctrl");
        LabAction bmSnapshot = find(a, "SNAPSHOT_STARTED", "Bm");
        assertFalse(bmSnapshot.at().isBefore(ctrlDone.at()));

        List<String> lines = r.out().lines().toList();
        for (String vm : List.of("Ctrl", "Bm")) {
            LabAction started = find(a, "SNAPSHOT_STARTED", vm);
            List<String> said = lines.stream().filter(l -> l.startsWith("Snapshot of VM " + vm + " started at ")).toList();
            assertEquals(1, said.size(), r.out());
            String instant = said.get(0).substring(("Snapshot of VM " + vm + " started at ").length());
            assertTrue(instant.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z"), instant);
            assertEquals(started.at(), java.time.Instant.parse(instant), "the action log's SNAPSHOT_STARTED instant");
            int at = lines.indexOf(said.get(0));
            assertEquals("Backing up VM " + vm, lines.get(at - 1), r.out());
            assertEquals("Snapshot created", lines.get(at + 1), r.out());
        }
        assertTrue(a.stream().filter(x -> x.action().equals("SNAPSHOT_STARTED")).allMatch(x -> r.out().contains(
                "Snapshot of VM " + x.detail("vm") + " started at " + Stamps.ACTION_LOG.format(x.at()) + "\n")),
                "the printed text is the log's own text");
    }

    @Test
    void diskFullFailsWithTheMessageOnStderr() throws IOException {
        SimulatedHost host = esxi("esxi-full");
        host.failNext("xsibackup", Fault.DISK_FULL);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result r = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Admin");
            assertNotEquals(0, r.exit());
            assertTrue(r.err().contains("No space left on device"), r.err());
            Matcher m = FOLDER.matcher(r.out());
            assertTrue(m.find(), "a failed run still names its folder: " + r.out());
            Path partial = Path.of(m.group(1), "Admin", "Admin-flat.vmdk");
            assertTrue(Files.size(partial) < Files.size(host.runningDatastore().resolve("Admin/Admin-flat.vmdk")),
                    "the half copy stays");
            assertTrue(Files.exists(partial.resolveSibling("Admin.vmx")));
            assertTrue(Files.exists(partial.resolveSibling("Admin.vmdk")));
            assertFalse(Files.exists(host.runningDatastore().resolve("Admin/Admin-000001-delta.vmdk")),
                    "a failed copy removes its snapshot");
            assertEquals(0, ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Admin").exit(), "a one-shot fault is spent");
            host.failAlways("xsibackup", Fault.SNAPSHOT_ERROR);
            LabSsh.Result snap = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Admin");
            assertNotEquals(0, snap.exit());
            assertTrue(snap.err().contains("Cannot create snapshot"), snap.err());
            host.clearFaults();
            LabSsh.Result unknown = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Nope");
            assertNotEquals(0, unknown.exit());
            assertTrue(unknown.err().contains("Nope"), unknown.err());
        }
    }

    @Test
    void restoreByCopyAndRegisterKeepsNameAndMacs() throws IOException {
        SimulatedHost host = esxi("esxi-restore");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result backup = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Ctrl");
            Matcher m = FOLDER.matcher(backup.out());
            assertTrue(m.find(), backup.out());
            String set = m.group(1);
            host.corrupt("Ctrl");
            Path flat = host.runningDatastore().resolve("Ctrl/Ctrl-flat.vmdk");
            assertNotEquals(-1L, Files.mismatch(flat, Path.of(set, "Ctrl", "Ctrl-flat.vmdk")));

            assertEquals(0, ssh.run("vim-cmd vmsvc/power.off 2").exit());
            assertFalse(host.isPoweredOn("Ctrl"));
            assertEquals(0, ssh.run("vim-cmd vmsvc/unregister 2").exit());
            assertEquals(0, ssh.run("rm -rf vmfs/volumes/datastore1/Ctrl").exit());
            assertEquals(0, ssh.run("cp -r " + set + "/Ctrl vmfs/volumes/datastore1/Ctrl").exit());
            LabSsh.Result reg = ssh.run("vim-cmd solo/registervm " + host.runningDatastore() + "/Ctrl/Ctrl.vmx");
            assertEquals(0, reg.exit(), reg.err());
            assertEquals("4\n", reg.out(), "hostd hands out a new Vmid");
            assertEquals(-1L, Files.mismatch(flat, Path.of(set, "Ctrl", "Ctrl-flat.vmdk")));
            assertEquals(List.of("00:50:56:aa:bb:02", "00:50:56:aa:bb:12"), host.macs("Ctrl"));
            assertEquals(0, ssh.run("vim-cmd vmsvc/power.on 4").exit());
            assertTrue(host.isPoweredOn("Ctrl"));
        }
        List<String> actions = host.actions().stream().map(LabAction::action).toList();
        assertTrue(actions.containsAll(Arrays.asList("CORRUPTED", "POWERED_OFF", "UNREGISTERED", "REGISTERED",
                "POWERED_ON")), actions.toString());
    }

    @Test
    void anAbandonedBackupStopsLeavesItsSnapshotAndTheNextRunCommitsIt() throws Exception {
        SimulatedHost host = esxi("esxi-abort");
        host.setBackupDuration(Duration.ofSeconds(20));
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            var session = ssh.openSession();
            var cmd = session.exec("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom --backup-vms=Admin");
            // What an executor has seen when it loses the tool: the banner and the VM's first lines.
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(cmd.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String startDate = null;
            for (String line = out.readLine(); line != null && !line.startsWith("Copying Admin-flat.vmdk");
                 line = out.readLine()) {
                if (line.startsWith("Backup start date: ")) {
                    startDate = line.substring("Backup start date: ".length(), line.length() - " UTC".length());
                }
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    host.actions().stream().anyMatch(a -> a.action().equals("SNAPSHOT_FINISHED")));
            session.close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    host.actions().stream().anyMatch(a -> a.action().equals("ABORTED")));
            LabAction aborted = host.actions().stream().filter(a -> a.action().equals("ABORTED")).findFirst().orElseThrow();
            assertEquals("Admin", aborted.detail("vm"));
            assertTrue(Files.exists(Path.of(aborted.detail("partial"))), aborted.toString());
            assertTrue(Files.exists(host.runningDatastore().resolve("Admin/Admin-000001-delta.vmdk")));

            // The leftovers as the README lists them: <point>/<start date as yyyyMMddHHmmss>/Admin/ with the
            // .vmx, the descriptor and a short -flat.vmdk; the snapshot files beside the running disk.
            assertTrue(startDate != null && startDate.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"), startDate);
            Path folder = host.backupTarget().resolve(startDate.replaceAll("[- :]", ""));
            assertEquals(folder.resolve("Admin/Admin-flat.vmdk"), Path.of(aborted.detail("partial")));
            try (var files = Files.list(folder.resolve("Admin"))) {
                assertEquals(List.of("Admin-flat.vmdk", "Admin.vmdk", "Admin.vmx"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            assertTrue(Files.size(folder.resolve("Admin/Admin-flat.vmdk"))
                    < Files.size(host.runningDatastore().resolve("Admin/Admin-flat.vmdk")));
            assertTrue(Files.exists(host.runningDatastore().resolve("Admin/Admin-000001.vmdk")));
            assertEquals(0, ssh.run("rm -rf " + folder).exit());
            assertFalse(Files.exists(folder), "the real shell removes the leftover folder");

            host.setBackupDuration(Duration.ofMillis(200));
            LabSsh.Result again = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Admin");
            assertEquals(0, again.exit(), again.err());
            assertTrue(again.out().contains("Found existing snapshots of VM Admin"), again.out());
            assertFalse(Files.exists(host.runningDatastore().resolve("Admin/Admin-000001-delta.vmdk")));
        }
        assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("SNAPSHOTS_COMMITTED")
                && "1".equals(a.detail("existing"))));
    }

    @Test
    void theShellIsRealSoAnUnquotedSemicolonRunsASecondCommand() throws IOException {
        SimulatedHost host = esxi("esxi-shell");
        Path pwned = dir.resolve("pwned");
        Path notPwned = dir.resolve("not-pwned");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom --backup-vms=Admin; touch "
                    + pwned);
            assertTrue(Files.exists(pwned), "the real shell ran the command after ';'");
            LabSsh.Result quoted = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + ShellQuote.single("--backup-vms=Admin; touch " + notPwned));
            assertNotEquals(0, quoted.exit());
            assertFalse(Files.exists(notPwned), "quoted, it is one argument and an unknown VM");
            assertTrue(quoted.err().contains("Admin; touch " + notPwned), quoted.err());
        }
    }

    private static LabAction find(List<LabAction> actions, String action, String vm) {
        return actions.stream().filter(a -> a.action().equals(action) && vm.equals(a.detail("vm"))).findFirst()
                .orElseThrow(() -> new AssertionError(action + " of " + vm + " not in " + actions));
    }
}

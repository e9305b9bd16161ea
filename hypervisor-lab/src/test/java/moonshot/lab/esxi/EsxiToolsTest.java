package moonshot.lab.esxi;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import moonshot.lab.Fault;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorKind;
import moonshot.lab.LabAction;
import moonshot.lab.LabSsh;
import moonshot.lab.LabTestCase;
import moonshot.lab.SimulatedHost;
import moonshot.lab.VmSpec;
import moonshot.lab.Wording;
import moonshot.lab.tool.ShellQuote;

class EsxiToolsTest extends LabTestCase {

    private static SimulatedHost esxi(String name) throws IOException {
        return lab.addHost(new HostSpec(name, HypervisorKind.ESXI, 0, List.of(
                new VmSpec("Admin", null, List.of("00:50:56:aa:bb:01"), true),
                new VmSpec("Ctrl", null, List.of("00:50:56:aa:bb:02", "00:50:56:aa:bb:12"), true),
                new VmSpec("Bm", null, List.of("00:50:56:aa:bb:03"), false)),
                Duration.ofMillis(300), Duration.ofMillis(50)));
    }

    /** The one dated folder a host's backups went into (tests run one backup per host). */
    private static Path onlyFolder(SimulatedHost host) throws IOException {
        try (var list = Files.list(host.backupTarget())) {
            List<Path> folders = list.toList();
            assertEquals(1, folders.size(), folders.toString());
            return folders.get(0);
        }
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

    @ParameterizedTest
    @EnumSource(Wording.class)
    void xsibackupCopiesTheVmIntoATimestampedFolderAndPrintsNoInventedLines(Wording wording) throws IOException {
        lab.setWording(wording);
        try {
            SimulatedHost host = esxi("esxi-backup-" + wording.name().toLowerCase());
            try (LabSsh ssh = LabSsh.connect(lab, host)) {
                LabSsh.Result r = ssh.run("xsibackup --backup-point=" + host.backupTarget()
                        + " --backup-type=custom --backup-vms=Admin");
                assertEquals(0, r.exit(), r.err());
                assertFalse(r.out().contains("Backup folder"), "the real tool does not print its folder: " + r.out());
                assertFalse(r.out().contains("started at"), "nor the snapshot's instant: " + r.out());
                List<Path> folders;
                try (var list = Files.list(host.backupTarget())) {
                    folders = list.toList();
                }
                assertEquals(1, folders.size(), folders.toString());
                Path folder = folders.get(0);
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
            assertTrue(actions.stream().anyMatch(a -> a.action().equals("BACKUP_FINISHED")
                    && "Admin".equals(a.detail("vm"))));
        } finally {
            lab.setWording(Wording.CLASSIC);
        }
    }

    @Test
    void xsibackupBacksListedVmsUpOneAfterAnother() throws IOException {
        SimulatedHost host = esxi("esxi-serial");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result r = ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                    + "--backup-vms=Ctrl,Bm");
            assertEquals(0, r.exit(), r.err());
        }
        List<LabAction> a = host.actions();
        LabAction ctrlDone = find(a, "BACKUP_FINISHED", "Ctrl");
        LabAction bmSnapshot = find(a, "SNAPSHOT_STARTED", "Bm");
        assertFalse(bmSnapshot.at().isBefore(ctrlDone.at()));
    }

    @Test
    void snapshotGetShowsTheSnapshotWhileXsibackupHoldsItWithHostdsIdAndCreationTime() throws Exception {
        SimulatedHost host = esxi("esxi-snapget");
        try (LabSsh ssh = LabSsh.connect(lab, host); LabSsh poller = LabSsh.connect(lab, host)) {
            String vmid = ssh.run("vim-cmd vmsvc/getallvms").out().lines()
                    .filter(l -> l.contains(" Ctrl ")).findFirst().orElseThrow().split("\\s+")[0];
            assertEquals("Get Snapshot:\n", poller.run("vim-cmd vmsvc/snapshot.get " + vmid).out());
            var backup = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return ssh.run("xsibackup --backup-point=vmfs/volumes/backup --backup-type=custom "
                            + "--backup-vms=Ctrl");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String during = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> poller.run("vim-cmd vmsvc/snapshot.get " + vmid).out(),
                            out -> out.contains("--Snapshot Id"));
            assertTrue(during.matches("(?s)Get Snapshot:\n\\|-ROOT\n--Snapshot Name        : \\S+\n"
                    + "--Snapshot Id        : 1\n--Snapshot Desciption  : \n"
                    + "--Snapshot Created On  : \\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d{1,2}:\\d{1,2}\n"
                    + "--Snapshot State       : powered on\n"), during);
            assertEquals(0, backup.get().exit());
            assertEquals("Get Snapshot:\n", poller.run("vim-cmd vmsvc/snapshot.get " + vmid).out(),
                    "xsibackup removes its snapshot when the copy is done");
        }
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
            Path partial = onlyFolder(host).resolve("Admin").resolve("Admin-flat.vmdk");
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
            assertEquals(0, backup.exit(), backup.err());
            String set = onlyFolder(host).toString();
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

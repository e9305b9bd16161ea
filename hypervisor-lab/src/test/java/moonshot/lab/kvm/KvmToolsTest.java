package moonshot.lab.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
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

class KvmToolsTest extends LabTestCase {
    /** vzdump 1.x says "creating archive", Proxmox VE's "creating vzdump archive": a hint, never relied on. */
    private static final Pattern ARCHIVE = Pattern.compile("INFO: creating (?:vzdump )?archive '([^']+)'");


    private static SimulatedHost kvm(String name) throws IOException {
        return lab.addHost(new HostSpec(name, HypervisorKind.KVM, 0, List.of(
                new VmSpec("Admin_node", 33, List.of("52:54:00:aa:00:01"), true),
                new VmSpec("Controller", 34, List.of("52:54:00:aa:00:02"), true),
                new VmSpec("Compute", 35, List.of("52:54:00:aa:00:03"), false)),
                Duration.ofMillis(400), Duration.ofMillis(50)));
    }

    @Test
    void listsDomainsWithADashForTheIdOfAStoppedOne() throws IOException {
        SimulatedHost host = kvm("kvm-list");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            assertEquals("""
                     Id   Name         State
                    -----------------------------
                     1    Admin_node   running
                     2    Controller   running
                     -    Compute      shut off

                    """, ssh.run("virsh list --all").out());
            assertEquals("running\n\n", ssh.run("virsh domstate Controller").out());
            assertEquals("""
                     Interface   Type     Source   Model    MAC
                    -----------------------------------------------------------
                     vnet4       bridge   br0      virtio   52:54:00:aa:00:02

                    """, ssh.run("virsh domiflist Controller").out());
            String xml = ssh.run("virsh dumpxml Controller").out();
            assertTrue(xml.startsWith("<domain type='kvm' id='2'>\n  <name>Controller</name>"), xml);
            assertTrue(xml.contains("<mac address='52:54:00:aa:00:02'/>"), xml);

            assertEquals("Domain 'Compute' started\n\n", ssh.run("virsh start Compute").out());
            assertEquals("Domain 'Controller' destroyed\n\n", ssh.run("virsh destroy Controller").out());
            assertEquals(0, ssh.run("virsh start Controller").exit());
            assertEquals("4\n\n", ssh.run("virsh domid Controller").out(), "a new Id at every start");

            LabSsh.Result missing = ssh.run("virsh domstate Nope");
            assertEquals(1, missing.exit());
            assertEquals("error: failed to get domain 'Nope'\n", missing.err());
        }
    }

    @Test
    void shutdownReturnsAtOnceAndTheDomainGoesOffAPowerDelayLater() throws IOException {
        SimulatedHost host = kvm("kvm-power");
        host.setPowerDelay(Duration.ofMillis(500));
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            assertEquals("Domain 'Admin_node' is being shutdown\n\n", ssh.run("virsh shutdown Admin_node").out());
            assertTrue(host.isPoweredOn("Admin_node"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !host.isPoweredOn("Admin_node"));
            assertEquals("shut off\n\n", ssh.run("virsh domstate Admin_node").out());
            LabSsh.Result again = ssh.run("virsh shutdown Admin_node");
            assertEquals(1, again.exit());
            assertEquals("error: Failed to shutdown domain 'Admin_node'\n"
                    + "error: Requested operation is not valid: domain is not running\n", again.err());
        }
        assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("POWERED_OFF")
                && "Admin_node".equals(a.detail("vm"))));
    }

    @ParameterizedTest
    @EnumSource(Wording.class)
    void vzdumpWritesTheArchiveOfItsVersionAndReportsOnStderr(Wording wording) throws IOException {
        lab.setWording(wording);
        try {
            SimulatedHost host = kvm("kvm-dump-" + wording.name().toLowerCase());
            Path dumpdir = host.backupTarget().resolve("2026-11-27");
            try (LabSsh ssh = LabSsh.connect(lab, host)) {
                LabSsh.Result r = ssh.run("vzdump --compress --dumpdir " + dumpdir + " --snapshot 34");
                assertEquals(0, r.exit(), r.err());
                assertEquals("", r.out());
                assertTrue(r.err().startsWith("INFO: starting new backup job: vzdump --compress --dumpdir " + dumpdir
                        + " --snapshot 34\nINFO: Starting Backup of VM 34 (qemu)\n"), r.err());
                assertTrue(r.err().contains("\nINFO: Finished Backup of VM 34 (00:00:00)\n"), r.err());
                assertTrue(r.err().endsWith("\nINFO: Backup job finished successfully\n"), r.err());
                assertFalse(r.err().contains("snapshot of VM"), "no real vzdump prints the snapshot's instant");
                String extension = wording == Wording.CLASSIC ? "tgz" : "vma.lzo";
                List<Path> files;
                try (var list = Files.list(dumpdir)) {
                    files = list.sorted().toList();
                }
                assertEquals(2, files.size(), "the archive and its log: " + files);
                Path archive = files.stream().filter(f -> !f.toString().endsWith(".log")).findFirst().orElseThrow();
                assertTrue(archive.getFileName().toString().matches("vzdump-qemu-34-\\d{4}_\\d{2}_\\d{2}-\\d{2}_\\d{2}_"
                        + "\\d{2}\\." + Pattern.quote(extension)), archive.toString());
                assertTrue(Files.size(archive) > 64 * 1024);
                assertTrue(Files.exists(Path.of(archive.toString().replace("." + extension, ".log"))));
                Matcher hint = ARCHIVE.matcher(r.err());
                assertTrue(hint.find(), r.err());
                assertEquals(archive.toString(), hint.group(1));
                assertEquals(wording == Wording.NEWER, r.err().contains("creating vzdump archive"), r.err());
            }
            assertTrue(host.actions().stream().anyMatch(a -> a.tool().equals("vzdump")
                    && a.action().equals("SNAPSHOT_STARTED") && "34".equals(a.detail("vmid"))));
        } finally {
            lab.setWording(Wording.CLASSIC);
        }
    }

    @Test
    void vzdumpBacksSeveralVmidsUpOneAfterAnotherUnderOneHoldOfTheLock() throws Exception {
        SimulatedHost host = kvm("kvm-multi");
        host.setBackupDuration(Duration.ofMillis(250));
        LabSsh.Result job;
        LabSsh.Result other;
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            CompletableFuture<LabSsh.Result> first = CompletableFuture.supplyAsync(() -> run(ssh,
                    "vzdump --compress --dumpdir vz/multi --snapshot 34 35"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> host.actions().stream()
                    .anyMatch(a -> a.action().equals("LOCK_ACQUIRED")));
            CompletableFuture<LabSsh.Result> second = CompletableFuture.supplyAsync(() -> run(ssh,
                    "vzdump 33 --dumpdir vz/multi"));
            job = first.get();
            other = second.get();
            assertEquals(0, job.exit(), job.err());
            assertEquals(0, other.exit(), other.err());
            LabSsh.Result trailing = ssh.run("vzdump 35 34 --dumpdir vz/trailing");
            assertEquals(0, trailing.exit(), trailing.err());
            List<String> archives = ARCHIVE.matcher(trailing.err()).results().map(r -> r.group(1)).toList();
            assertEquals(2, archives.size(), trailing.err());
            assertTrue(archives.get(0).contains("/vzdump-qemu-35-") && archives.get(1).contains("/vzdump-qemu-34-"),
                    "in the order given: " + archives);
            assertEquals(2, ssh.run("ls vz/trailing/*.tar").out().lines().count(), "one archive per VMID");
        }
        List<LabAction> actions = host.actions();
        List<String> err = job.err().lines().toList();
        assertEquals("INFO: starting new backup job: vzdump --compress --dumpdir vz/multi --snapshot 34 35", err.get(0));
        assertEquals("INFO: Backup job finished successfully", err.get(err.size() - 1));
        int previous = 0;
        for (String vmid : List.of("34", "35")) {
            int starting = err.indexOf("INFO: Starting Backup of VM " + vmid + " (qemu)");
            int snap = -1;
            for (int i = 0; i < err.size(); i++) {
                if (err.get(i).matches("INFO: creating archive '.*/vzdump-qemu-" + vmid + "-.*\\.tgz'")) {
                    snap = i;
                }
            }
            int finished = -1;
            for (int i = 0; i < err.size(); i++) {
                if (err.get(i).startsWith("INFO: Finished Backup of VM " + vmid + " (")) {
                    finished = i;
                }
            }
            assertTrue(previous < starting && starting < snap && snap < finished, job.err());
            previous = finished;
        }
        Matcher m = ARCHIVE.matcher(job.err());
        int archives = 0;
        while (m.find()) {
            assertTrue(Files.isRegularFile(Path.of(m.group(1))), m.group(1));
            archives++;
        }
        assertEquals(2, archives, "one archive per VMID");
        assertFalse(find(actions, "SNAPSHOT_STARTED", "35").at().isBefore(find(actions, "BACKUP_FINISHED", "34").at()));

        List<LabAction> jobLock = actions.stream().filter(a -> a.action().startsWith("LOCK_")
                && "34,35".equals(a.detail("vmids"))).toList();
        assertEquals(List.of("LOCK_ACQUIRED", "LOCK_RELEASED"), jobLock.stream().map(LabAction::action).toList(),
                "one hold for the whole job");
        assertTrue(other.err().startsWith("INFO: trying to get global lock - waiting...\nINFO: got global lock\n"),
                other.err());
        LabAction otherAcquired = actions.stream().filter(a -> a.action().equals("LOCK_ACQUIRED")
                && "33".equals(a.detail("vmids"))).findFirst().orElseThrow();
        assertFalse(otherAcquired.at().isBefore(jobLock.get(1).at()), "33 waited for both 34 and 35");
    }

    @Test
    void twoVzdumpsOnOneHostSerialiseOnTheHostLock() throws Exception {
        SimulatedHost host = kvm("kvm-lock");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            CompletableFuture<LabSsh.Result> first = CompletableFuture.supplyAsync(() -> run(ssh,
                    "vzdump --compress --dumpdir vz/pair --snapshot 34"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> host.actions().stream()
                    .anyMatch(a -> a.action().equals("LOCK_ACQUIRED")));
            CompletableFuture<LabSsh.Result> second = CompletableFuture.supplyAsync(() -> run(ssh,
                    "vzdump --compress --dumpdir vz/pair --snapshot 35"));
            assertEquals(0, first.get().exit(), first.get().err());
            assertEquals(0, second.get().exit(), second.get().err());
            assertTrue(second.get().err().startsWith("INFO: trying to get global lock - waiting...\n"
                    + "INFO: got global lock\n"), second.get().err());
        }
        List<LabAction> actions = host.actions();
        LabAction firstFinished = find(actions, "BACKUP_FINISHED", "34");
        LabAction secondSnapshot = find(actions, "SNAPSHOT_STARTED", "35");
        assertFalse(secondSnapshot.at().isBefore(firstFinished.at()),
                "the second snapshot starts only after the first backup finished");
        assertTrue(actions.stream().anyMatch(a -> a.action().equals("LOCK_WAIT") && "35".equals(a.detail("vmids"))));
    }

    @Test
    void aKilledVzdumpAbortsLeavesItsPartialArchiveAndFreesTheLock() throws IOException {
        SimulatedHost host = kvm("kvm-killed");
        host.setBackupDuration(Duration.ofSeconds(20));
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result killed = ssh.run("timeout 2.5 vzdump --compress --dumpdir vz/killed --snapshot 33");
            assertEquals(124, killed.exit(), "timeout(1) killed the real process");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> host.actions().stream()
                    .anyMatch(a -> a.action().equals("ABORTED")));
            LabAction aborted = host.actions().stream().filter(a -> a.action().equals("ABORTED")).findFirst()
                    .orElseThrow();
            assertEquals("33", aborted.detail("vmid"));
            assertTrue(aborted.detail("partial").endsWith(".dat"), aborted.toString());
            assertTrue(Files.exists(Path.of(aborted.detail("partial"))));

            // The leftovers as the README lists them, named after the "creating archive" line.
            Matcher m = ARCHIVE.matcher(killed.err());
            assertTrue(m.find(), killed.err());
            String base = m.group(1).substring(0, m.group(1).length() - ".tgz".length());
            assertEquals(base + ".dat", aborted.detail("partial"), "vzdump's name for the archive being written");
            assertTrue(Files.exists(Path.of(base + ".log")));
            assertFalse(Files.exists(Path.of(m.group(1))), "no finished archive");
            assertFalse(Files.exists(host.root().resolve("var/run/vzdump.lock")), "the lock file is gone");
            assertEquals(0, ssh.run("rm -f " + base + ".dat " + base + ".log").exit());
            assertEquals("", ssh.run("ls vz/killed").out());

            host.setBackupDuration(Duration.ofMillis(100));
            LabSsh.Result next = ssh.run("vzdump --dumpdir vz/killed 33");
            assertEquals(0, next.exit(), next.err());
            assertFalse(next.err().contains("waiting"), "the aborted run released the lock");
        }
    }

    @Test
    void diskFullFailsTheDumpWithTheMessageOnStderrAndLeavesNoArchive() throws IOException {
        SimulatedHost host = kvm("kvm-full");
        host.failNext("vzdump", Fault.DISK_FULL);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result r = ssh.run("vzdump --compress --dumpdir vz/full --snapshot 33");
            assertEquals(255, r.exit());
            assertTrue(r.err().contains("ERROR: Backup of VM 33 failed - vma_queue_write: write error - "
                    + "No space left on device\n"), r.err());
            assertTrue(r.err().endsWith("INFO: Backup job finished with errors\njob errors\n"), r.err());
            assertEquals("", ssh.run("ls vz/full | grep -v '\\.log$'").out(), "only the log stays");
            LabSsh.Result unknown = ssh.run("vzdump --compress --dumpdir vz/full --snapshot 99");
            assertEquals(255, unknown.exit());
            assertTrue(unknown.err().contains("unable to find VM '99'"), unknown.err());
        }
    }

    @Test
    void restoreRecreatesDiskAndConfigWithNameAndMacs() throws IOException {
        SimulatedHost host = kvm("kvm-restore");
        Path disk = host.runningDatastore().resolve("Controller.qcow2");
        byte[] original = Files.readAllBytes(disk);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result dump = ssh.run("vzdump --compress --dumpdir vz/r --snapshot 34");
            Matcher m = ARCHIVE.matcher(dump.err());
            assertTrue(m.find(), dump.err());
            host.corrupt("Controller");
            assertEquals(0, ssh.run("virsh destroy Controller").exit());
            LabSsh.Result broken = ssh.run("virsh start Controller");
            assertEquals(1, broken.exit());
            assertTrue(broken.err().contains("Image is not in qcow2 format"), broken.err());
            assertEquals(0, ssh.run("rm " + disk).exit());
            assertTrue(ssh.run("virsh start Controller").err().contains("No such file or directory"));

            LabSsh.Result restore = ssh.run("vzdump --restore " + m.group(1) + " 34");
            assertEquals(0, restore.exit(), restore.err());
            assertTrue(restore.out().contains("progress 100%"), restore.out());
            assertEquals(-1L, java.util.Arrays.mismatch(original, Files.readAllBytes(disk)));
            assertEquals(List.of("52:54:00:aa:00:02"), host.macs("Controller"));
            assertEquals(0, ssh.run("virsh start Controller").exit());
            assertTrue(host.isPoweredOn("Controller"));
            LabSsh.Result overRunning = ssh.run("qmrestore " + m.group(1) + " 34");
            assertEquals(255, overRunning.exit(), "a running VM is not overwritten");
            assertEquals("unable to restore VM 34 - VM is running\n", overRunning.err());
        }
    }

    @Test
    void toolOutputSurvivesQuotesDollarsAndBackslashesExactly() throws IOException {
        SimulatedHost host = kvm("kvm-quote");
        String nasty = "it's $HOME \"x\" \\ %s `id` \n end";
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result r = ssh.run("virsh domstate " + ShellQuote.single(nasty));
            assertEquals(1, r.exit());
            assertEquals("error: failed to get domain '" + nasty + "'\n", r.err());
            assertEquals("\n", r.out());
        }
    }

    @Test
    void slowMakesTheOperationTakeLonger() throws IOException {
        SimulatedHost host = kvm("kvm-slow");
        host.setBackupDuration(Duration.ofMillis(200));
        host.failNext("vzdump", Fault.SLOW);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            long t0 = System.nanoTime();
            assertEquals(0, ssh.run("vzdump --dumpdir vz/slow 35").exit());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 900, "five times 200 ms");
        }
    }

    private static LabSsh.Result run(LabSsh ssh, String command) {
        try {
            return ssh.run(command);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static LabAction find(List<LabAction> actions, String action, String vmid) {
        return actions.stream().filter(a -> a.action().equals(action) && vmid.equals(a.detail("vmid"))).findFirst()
                .orElseThrow(() -> new AssertionError(action + " of " + vmid + " not in " + actions));
    }
}

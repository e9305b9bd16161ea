package moonshot.lab.kvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import moonshot.lab.Fault;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorKind;
import moonshot.lab.LabAction;
import moonshot.lab.LabSsh;
import moonshot.lab.LabTestCase;
import moonshot.lab.SimulatedHost;
import moonshot.lab.VmSpec;
import moonshot.lab.Wording;

/** The libvirt-external dialect's commands on a lab KVM host: freeze, external snapshot, commit, block list. */
class LibvirtExternalSnapshotTest extends LabTestCase {
    private static final String AGENT_GONE = "error: Guest agent is not responding: QEMU guest agent is not connected\n";


    private static SimulatedHost kvm(String name) throws IOException {
        return lab.addHost(new HostSpec(name, HypervisorKind.KVM, 0, List.of(
                new VmSpec("Controller", 34, List.of("52:54:00:cc:00:01"), true),
                new VmSpec("Baremetal", 35, List.of("52:54:00:cc:00:02"), true),
                new VmSpec("Spare", 36, List.of("52:54:00:cc:00:03"), false)),
                Duration.ofMillis(400), Duration.ofMillis(50)));
    }

    @Test
    void freezesAndThawsTheGuestFilesystemsThroughItsAgent() throws IOException {
        SimulatedHost host = kvm("kvm-freeze");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result froze = ssh.run("virsh domfsfreeze Controller");
            assertEquals(0, froze.exit(), froze.err());
            assertEquals("Froze 2 filesystem(s)\n\n", froze.out());
            assertTrue(host.isFrozen("Controller"));
            assertThrows(IllegalStateException.class, () -> host.writeAsGuest("Controller", 4096, new byte[] {1}),
                    "a frozen guest does not write");

            LabSsh.Result again = ssh.run("virsh domfsfreeze Controller");
            assertEquals(1, again.exit());
            assertEquals("error: Unable to freeze filesystems\n"
                    + "error: internal error: unable to execute QEMU agent command 'guest-fsfreeze-freeze': "
                    + "Command guest-fsfreeze-freeze has been disabled: the agent is in frozen state\n", again.err());

            assertEquals("Thawed 2 filesystem(s)\n\n", ssh.run("virsh domfsthaw Controller").out());
            assertFalse(host.isFrozen("Controller"));
            assertEquals("Thawed 0 filesystem(s)\n\n", ssh.run("virsh domfsthaw Controller").out(),
                    "nothing frozen, nothing thawed");
            assertEquals("Froze 1 filesystem(s)\n\n", ssh.run("virsh domfsfreeze Controller --mountpoint /").out());
            assertEquals(0, ssh.run("virsh destroy Controller").exit());
            assertFalse(host.isFrozen("Controller"), "a stopped guest has nothing frozen");

            LabSsh.Result off = ssh.run("virsh domfsfreeze Spare");
            assertEquals(1, off.exit());
            assertEquals("error: Unable to freeze filesystems\n"
                    + "error: Requested operation is not valid: domain is not running\n", off.err());
        }
        List<String> agentActions = host.actions().stream()
                .filter(a -> "Controller".equals(a.detail("vm")) && a.action().matches("FROZEN|THAWED"))
                .map(LabAction::action).toList();
        assertEquals(List.of("FROZEN", "THAWED", "THAWED", "FROZEN"), agentActions);
    }

    @Test
    void withoutAGuestAgentFreezeThawAndQuiesceFailAsLibvirtDoes() throws IOException {
        SimulatedHost host = kvm("kvm-noagent");
        host.setGuestAgent("Baremetal", false);
        assertTrue(Files.readString(host.root().resolve(".lab/state.properties")).contains("agent.Baremetal=absent"),
                "kept with the power state");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result freeze = ssh.run("virsh domfsfreeze Baremetal");
            assertEquals(1, freeze.exit());
            assertEquals("error: Unable to freeze filesystems\n" + AGENT_GONE, freeze.err());
            LabSsh.Result thaw = ssh.run("virsh domfsthaw Baremetal");
            assertEquals(1, thaw.exit());
            assertEquals("error: Unable to thaw filesystems\n" + AGENT_GONE, thaw.err());
            LabSsh.Result quiesce = ssh.run("virsh snapshot-create-as Baremetal q1 --disk-only --atomic --quiesce");
            assertEquals(1, quiesce.exit());
            assertEquals(AGENT_GONE, quiesce.err());
            assertFalse(Files.exists(host.runningDatastore().resolve("Baremetal.q1")));

            host.setGuestAgent("Baremetal", true);
            assertEquals(0, ssh.run("virsh domfsfreeze Baremetal").exit());
            assertEquals(0, ssh.run("virsh domfsthaw Baremetal").exit());
        }
        assertTrue(host.actions().stream().anyMatch(a -> a.action().equals("FREEZE_FAILED")
                && "Baremetal".equals(a.detail("vm"))));
    }

    @Test
    void anExternalSnapshotKeepsTheBaseAsItWasUntilBlockcommitMergesTheOverlayBack() throws IOException {
        SimulatedHost host = kvm("kvm-overlay");
        Path base = host.runningDatastore().resolve("Controller.qcow2");
        Path overlay = host.runningDatastore().resolve("Controller.bk1");
        Path definition = host.root().resolve("etc/libvirt/qemu/Controller.xml");
        byte[] original = Files.readAllBytes(base);
        String originalXml = Files.readString(definition);
        byte[] written = "written after the snapshot".getBytes(StandardCharsets.US_ASCII);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            String list = ssh.run("virsh list --all").out();
            LabSsh.Result snap = ssh.run("virsh snapshot-create-as Controller --name bk1 --disk-only --atomic "
                    + "--no-metadata");
            assertEquals(0, snap.exit(), snap.err());
            assertEquals("Domain snapshot bk1 created\n", snap.out());
            assertTrue(QcowOverlay.isOverlay(overlay), "libvirt's default name: the base's suffix replaced");

            assertEquals(blockList(overlay), ssh.run("virsh domblklist Controller").out());
            assertTrue(ssh.run("virsh domblklist Controller --details").out()
                    .contains("\n file   disk     vda      " + overlay + "\n"));
            String xml = ssh.run("virsh dumpxml Controller").out();
            assertTrue(xml.contains("<source file='" + overlay + "'/>\n      <backingStore type='file'>\n"
                    + "        <format type='qcow2'/>\n        <source file='" + base + "'/>"), xml);
            assertEquals(list, ssh.run("virsh list --all").out(), "list does not care about disks");
            assertTrue(ssh.run("virsh domiflist Controller").out().contains("52:54:00:cc:00:01"));

            host.writeAsGuest("Controller", 1000, written);
            assertArrayEquals(original, Files.readAllBytes(base), "the guest writes into the overlay");
            assertEquals("written after the snapshot", new String(
                    Arrays.copyOfRange(host.readAsGuest("Controller"), 1000, 1000 + written.length),
                    StandardCharsets.US_ASCII));

            assertTrue(ssh.run("qemu-img info " + overlay + " -U").out()
                    .contains("\nbacking file: " + base + "\nbacking file format: qcow2\n"));
            assertEquals(0, ssh.run("mkdir -p backup/stamp/Controller").exit());
            LabSsh.Result copy = ssh.run("qemu-img convert -O qcow2 " + base + " backup/stamp/Controller/Controller.qcow2");
            assertEquals(0, copy.exit(), copy.err());
            assertEquals("", copy.out());
            assertArrayEquals(original, Files.readAllBytes(host.root().resolve("backup/stamp/Controller/Controller.qcow2")),
                    "the copy of the base is the disk at the snapshot instant");

            LabSsh.Result commit = ssh.run("virsh blockcommit Controller vda --active --pivot --wait --verbose");
            assertEquals(0, commit.exit(), commit.err());
            assertEquals("\nSuccessfully pivoted\n", commit.out());
            assertTrue(commit.err().startsWith("\rBlock commit: [  0 %]"), commit.err());
            assertTrue(commit.err().endsWith("\rBlock commit: [100 %]"), commit.err());

            assertEquals(originalXml, Files.readString(definition), "the definition is back on the base");
            assertEquals(blockList(base), ssh.run("virsh domblklist Controller").out());
            byte[] merged = Files.readAllBytes(base);
            assertEquals("written after the snapshot",
                    new String(Arrays.copyOfRange(merged, 1000, 1000 + written.length), StandardCharsets.US_ASCII));
            System.arraycopy(original, 1000, merged, 1000, written.length);
            assertArrayEquals(original, merged, "nothing else changed");
            assertTrue(Files.exists(overlay), "libvirt leaves the overlay to the caller");
            assertEquals(0, ssh.run("rm " + overlay).exit());
            assertEquals(0, ssh.run("virsh destroy Controller").exit());
            assertEquals(0, ssh.run("virsh start Controller").exit(), "the base alone boots");
        }
        List<String> order = host.actions().stream().filter(a -> "Controller".equals(a.detail("vm")))
                .map(LabAction::action)
                .filter(a -> a.startsWith("SNAPSHOT_") || a.startsWith("BLOCKCOMMIT_")).toList();
        assertEquals(List.of("SNAPSHOT_STARTED", "SNAPSHOT_FINISHED", "BLOCKCOMMIT_STARTED", "BLOCKCOMMIT_FINISHED"),
                order);
    }

    @Test
    void twoConcurrentSnapshotsOfThePairAreNotSerialised() throws Exception {
        SimulatedHost host = kvm("kvm-pair");
        host.setBackupDuration(Duration.ofSeconds(20)); // a 1 s snapshot: 0.4 s preparing, 0.6 s after the instant
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            CompletableFuture<LabSsh.Result> controller = CompletableFuture.supplyAsync(() -> run(ssh,
                    "virsh snapshot-create-as Controller pair --disk-only --atomic --no-metadata"), callers);
            CompletableFuture<LabSsh.Result> baremetal = CompletableFuture.supplyAsync(() -> run(ssh,
                    "virsh snapshot-create-as Baremetal pair --disk-only --atomic --no-metadata"), callers);
            assertEquals(0, controller.get().exit(), controller.get().err());
            assertEquals(0, baremetal.get().exit(), baremetal.get().err());
        } finally {
            callers.shutdown();
        }
        List<LabAction> actions = host.actions();
        LabAction controllerAt = find(actions, "SNAPSHOT_STARTED", "Controller");
        LabAction baremetalAt = find(actions, "SNAPSHOT_STARTED", "Baremetal");
        assertTrue(controllerAt.at().isBefore(find(actions, "SNAPSHOT_FINISHED", "Baremetal").at())
                        && baremetalAt.at().isBefore(find(actions, "SNAPSHOT_FINISHED", "Controller").at()),
                "each snapshot instant falls inside the other call: no lock between them " + actions);
        assertEquals(host.runningDatastore().resolve("Baremetal.pair").toString(), baremetalAt.detail("overlay"));
        assertEquals(host.runningDatastore().resolve("Controller.qcow2").toString(), controllerAt.detail("backing"));
    }

    @Test
    void snapshotErrorsAndNamesAreLibvirts() throws IOException {
        SimulatedHost host = kvm("kvm-snaperr");
        Path definition = host.root().resolve("etc/libvirt/qemu/Baremetal.xml");
        String before = Files.readString(definition);
        host.failNext("virsh", Fault.SNAPSHOT_ERROR);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result failed = ssh.run("virsh snapshot-create-as Baremetal s1 --disk-only --atomic --no-metadata");
            assertEquals(1, failed.exit());
            assertEquals("error: internal error: unable to execute QEMU command 'transaction': "
                    + "Could not create file: Permission denied\n", failed.err());
            assertEquals(before, Files.readString(definition));
            assertFalse(Files.exists(host.runningDatastore().resolve("Baremetal.s1")));

            LabSsh.Result noDisk = ssh.run("virsh snapshot-create-as Baremetal s1 --disk-only --diskspec vdb,file=x");
            assertEquals("error: unsupported configuration: no disk named 'vdb'\n", noDisk.err());

            Files.writeString(host.runningDatastore().resolve("Baremetal.taken"), "someone else's");
            LabSsh.Result taken = ssh.run("virsh snapshot-create-as Baremetal taken --disk-only");
            assertEquals(1, taken.exit());
            assertEquals("error: unsupported configuration: external snapshot file for disk vda already exists "
                    + "and is not a block device: " + host.runningDatastore().resolve("Baremetal.taken") + "\n", taken.err());

            LabSsh.Result unnamed = ssh.run("virsh snapshot-create-as --domain Baremetal --disk-only --atomic");
            assertEquals(0, unnamed.exit(), unnamed.err());
            Matcher epoch = Pattern.compile("Domain snapshot (\\d{10}) created\n").matcher(unnamed.out());
            assertTrue(epoch.matches(), "the name defaults to the epoch seconds: " + unnamed.out());
            Path defaultOverlay = host.runningDatastore().resolve("Baremetal." + epoch.group(1));
            assertTrue(QcowOverlay.isOverlay(defaultOverlay));
            LabSsh.Result commit = ssh.run("virsh blockcommit Baremetal vda --active --pivot --delete");
            assertEquals(0, commit.exit(), commit.err());
            assertFalse(Files.exists(defaultOverlay), "--delete removes what was committed");

            Path chosen = host.root().resolve("var/lib/libvirt/images/chosen.ovl");
            LabSsh.Result spec = ssh.run("virsh snapshot-create-as Baremetal s2 --disk-only --atomic --no-metadata "
                    + "--diskspec vda,snapshot=external,file=" + chosen);
            assertEquals(0, spec.exit(), spec.err());
            assertTrue(ssh.run("virsh domblklist Baremetal").out().contains(" vda      " + chosen + "\n"));
            assertEquals(0, ssh.run("virsh blockcommit Baremetal vda --active --pivot").exit());

            long t0 = System.nanoTime();
            host.setBackupDuration(Duration.ofSeconds(2));
            host.failNext("virsh", Fault.SLOW);
            LabSsh.Result slow = ssh.run("virsh snapshot-create-as Baremetal slow --disk-only");
            assertEquals(0, slow.exit(), slow.err());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 450, "five times a 100 ms snapshot");
        }
        List<LabAction> actions = host.actions();
        assertTrue(actions.stream().anyMatch(a -> a.action().equals("SNAPSHOT_FAILED") && "s1".equals(a.detail("snapshot"))));
        assertTrue(actions.stream().noneMatch(a -> a.action().equals("SNAPSHOT_STARTED") && "s1".equals(a.detail("snapshot"))),
                "a failed snapshot has no consistency point");
    }

    @Test
    void blockcommitRefusesWhatLibvirtRefuses() throws IOException {
        SimulatedHost host = kvm("kvm-commiterr");
        Path base = host.runningDatastore().resolve("Baremetal.qcow2");
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result noOverlay = ssh.run("virsh blockcommit Baremetal vda --active --pivot");
            assertEquals(1, noOverlay.exit());
            assertEquals("error: invalid argument: top '" + base + "' in chain for 'vda' has no backing file\n",
                    noOverlay.err());
            assertEquals(0, ssh.run("virsh snapshot-create-as Baremetal c1 --disk-only --atomic").exit());
            assertEquals("error: invalid argument: commit of 'vda' active layer requires active flag\n",
                    ssh.run("virsh blockcommit Baremetal vda").err());
            assertEquals("error: invalid argument: disk 'vdb' not found in domain\n",
                    ssh.run("virsh blockcommit Baremetal vdb --active --pivot").err());
            assertEquals("error: --verbose requires at least one of --timeout, --wait, --pivot, or --keep-overlay\n",
                    ssh.run("virsh blockcommit Baremetal vda --active --verbose").err());
            assertEquals("error: Requested operation is not valid: domain is not running\n",
                    ssh.run("virsh blockcommit Spare vda --active --pivot").err());
            LabSsh.Result converted = ssh.run("qemu-img convert -O qcow2 "
                    + host.runningDatastore().resolve("Baremetal.c1") + " copy.qcow2");
            assertEquals(1, converted.exit(), "the active overlay of a running guest is write-locked");
            assertTrue(converted.err().contains("Failed to get shared \"write\" lock\nIs another process using the image"));

            lab.setWording(Wording.NEWER);
            try {
                LabSsh.Result commit = ssh.run("virsh blockcommit Baremetal " + host.runningDatastore().resolve("Baremetal.c1")
                        + " --active --pivot --verbose");
                assertEquals(0, commit.exit(), commit.err());
                assertTrue(commit.err().endsWith("\rBlock commit: [100.00 %]"), commit.err());
            } finally {
                lab.setWording(Wording.CLASSIC);
            }
        }
    }

    private static String blockList(Path source) {
        return " Target   Source\n" + "-".repeat(source.toString().length() + 12) + "\n vda      " + source + "\n\n";
    }

    private static LabSsh.Result run(LabSsh ssh, String command) {
        try {
            return ssh.run(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LabAction find(List<LabAction> actions, String action, String vm) {
        return actions.stream().filter(a -> a.action().equals(action) && vm.equals(a.detail("vm"))).findFirst()
                .orElseThrow(() -> new AssertionError(action + " of " + vm + " not in " + actions));
    }
}

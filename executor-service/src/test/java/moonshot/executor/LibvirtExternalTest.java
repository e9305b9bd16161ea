package moonshot.executor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import moonshot.contract.BackupScope;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRestored;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerAction;
import moonshot.infra.InfrastructureTestResource;
import jakarta.inject.Inject;
import moonshot.executor.libvirt.LibvirtExternalDriver;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.lab.Fault;
import moonshot.lab.LabAction;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libvirt-external dialect on the lab's KVM host over real SSH: a pair snapshotted together (no vzdump lock), the
 * base images copied beside the domain XML, the overlays merged back; a guest without agent said to be
 * crash-consistent; a restore that defines the domain again under its name, UUID and MACs.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class LibvirtExternalTest extends LabFixture {

    @Inject
    HypervisorClient client;

    @Test
    void snapshotsBothOfThePairTogetherCopiesTheBasesAndMergesTheOverlaysBack() throws IOException {
        String host = announce(kvm, kvm.hostKeyFingerprint(), Dialect.LIBVIRT_EXTERNAL);
        int before = kvm.actions().size();
        UUID run = BackupExecutionTest.start(host, BackupScope.PAIR,
                new BackupTarget(NodeRole.CONTROLLER, "Controller", 34),
                new BackupTarget(NodeRole.BAREMETAL, "Compute", 35));

        List<NodeBackupSucceeded> nodes = BackupExecutionTest.successes(run, 2);
        List<LabAction> actions = kvm.actions().stream().skip(before).toList();
        for (NodeBackupSucceeded node : nodes) {
            Path copy = Path.of(node.artifactPath());
            assertTrue(Files.isRegularFile(copy.resolve(node.vmName() + ".xml")), node.artifactPath());
            assertTrue(Files.isRegularFile(copy.resolve(node.vmName() + ".qcow2")), node.artifactPath());
            assertEquals("virsh domblklist", node.snapshotWitness());
            assertNull(node.note(), "both guests have an agent: frozen, not crash-consistent");
            BackupExecutionTest.assertWitnessed(node, at(actions, "SNAPSHOT_STARTED", node.vmName()));
            assertTrue(actions.stream().anyMatch(a -> a.action().equals("BLOCKCOMMIT_FINISHED")
                    && node.vmName().equals(a.details().get("vm"))), "the overlay was merged back");
        }
        // Not serialised: each snapshot was taken before the other VM's copy was over (its merge began).
        assertTrue(at(actions, "SNAPSHOT_STARTED", "Controller").isBefore(at(actions, "BLOCKCOMMIT_STARTED", "Compute")));
        assertTrue(at(actions, "SNAPSHOT_STARTED", "Compute").isBefore(at(actions, "BLOCKCOMMIT_STARTED", "Controller")));
        assertTrue(at(actions, "FROZEN", "Controller").isBefore(at(actions, "SNAPSHOT_STARTED", "Controller")));
        assertFalse(kvm.isFrozen("Controller") || kvm.isFrozen("Compute"), "thawed");
        try (var images = Files.list(kvm.runningDatastore())) {
            assertEquals(List.of(), images.map(p -> p.getFileName().toString()).filter(f -> f.contains(".moonshot-"))
                    .toList(), "no overlay left growing");
        }
    }

    @Test
    void aGuestWithoutAgentIsBackedUpCrashConsistentAndTheBackupSaysSo() {
        String host = announce(kvm, kvm.hostKeyFingerprint(), Dialect.LIBVIRT_EXTERNAL);
        kvm.setGuestAgent("Admin_node", false);
        try {
            var node = PowerCheckAndRestoreTest.backUp(host, new BackupTarget(NodeRole.ADMIN, "Admin_node", 33));
            assertTrue(node.note() != null && node.note().contains("crash-consistent"), String.valueOf(node.note()));
        } finally {
            kvm.setGuestAgent("Admin_node", true);
        }
    }

    @Test
    void aFailedSnapshotThawsTheGuestLeavesNoCopyAndFailsWithLibvirtsWords() throws IOException {
        String host = announce(kvm, kvm.hostKeyFingerprint(), Dialect.LIBVIRT_EXTERNAL);
        kvm.failNext("virsh", Fault.SNAPSHOT_ERROR);
        UUID run = BackupExecutionTest.start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin_node",
                33));
        var failed = BackupExecutionTest.awaitOutcome(run, EventTypes.NODE_BACKUP_FAILED, NodeBackupFailed.class);
        assertTrue(failed.reason().startsWith("exited 1: ") && failed.reason().contains("error: "), failed.reason());
        assertFalse(kvm.isFrozen("Admin_node"), "thawed after the failed snapshot");
    }

    @Test
    void restoresADomainFromItsCopyUnderTheSameNameUuidAndMacs() throws IOException {
        String host = announce(kvm, kvm.hostKeyFingerprint(), Dialect.LIBVIRT_EXTERNAL);
        Path disk = kvm.runningDatastore().resolve("Compute.qcow2");
        var backup = PowerCheckAndRestoreTest.backUp(host, new BackupTarget(NodeRole.BAREMETAL, "Compute", 35));
        byte[] copied = Files.readAllBytes(Path.of(backup.artifactPath(), "Compute.qcow2"));
        PowerCheckAndRestoreTest.powerTo(host, NodeRole.BAREMETAL, "Compute", PowerAction.SHUTDOWN, "OFF");
        kvm.corrupt("Compute");

        Instant since = Instant.now();
        UUID id = PowerCheckAndRestoreTest.restore(host, NodeRole.BAREMETAL, "Compute", 35, backup.artifactPath(),
                backup.macs());
        var restored = PowerCheckAndRestoreTest.awaitAnswer(id, EventTypes.NODE_RESTORED, NodeRestored.class);

        assertEquals(backup.macs(), restored.macs());
        assertEquals(backup.macs(), kvm.macs("Compute"));
        assertArrayEquals(copied, Files.readAllBytes(disk), "the disk is the backup's copy");
        assertTrue(backup.vmConfig().contains("<uuid>" + restored.vmId() + "</uuid>"), "the same UUID: "
                + restored.vmId());
        assertTrue(PowerCheckAndRestoreTest.exec(kvm, since).contains("virsh define '" + backup.artifactPath()
                + "/Compute.xml'"), PowerCheckAndRestoreTest.exec(kvm, since).toString());
        PowerCheckAndRestoreTest.powerTo(host, NodeRole.BAREMETAL, "Compute", PowerAction.POWER_ON, "ON");
    }

    @Test
    void aRunKilledAfterItsSnapshotHasItsOverlayMergedBackAndItsHalfCopyRemoved() throws IOException {
        var hypervisor = connection(kvm, kvm.hostKeyFingerprint(), Dialect.LIBVIRT_EXTERNAL);
        var target = new BackupTarget(NodeRole.BAREMETAL, "Compute", 35);
        Instant dispatched = Instant.now();
        // What a run killed mid-copy leaves: the disk on this dialect's overlay and a half-written copy.
        Path folder = kvm.backupTarget().resolve("20991231235959/Compute");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("Compute.qcow2"), "half a copy");
        String overlay = kvm.runningDatastore().resolve("Compute.moonshot-123").toString();
        var snapshot = client.run(hypervisor, "virsh snapshot-create-as Compute --name moonshot-123 --disk-only "
                + "--atomic --no-metadata --diskspec 'vda,snapshot=external,file=" + overlay + "'");
        assertEquals(0, snapshot.exitStatus(), snapshot.failureMessage());

        var cleanup = client.run(hypervisor, new LibvirtExternalDriver().removePartialCommand(hypervisor, target,
                dispatched));

        assertEquals(0, cleanup.exitStatus(), cleanup.failureMessage());
        assertTrue(cleanup.stdout().contains(overlay) && cleanup.stdout().contains(folder.toString()),
                "each removed path is printed: " + cleanup.stdout());
        assertEquals(List.of(kvm.runningDatastore().resolve("Compute.qcow2").toString()),
                client.run(hypervisor, "virsh domblklist Compute").stdout().lines().skip(2).map(String::strip)
                        .filter(l -> !l.isEmpty()).map(l -> l.split("\\s+", 2)[1]).toList(),
                "the disk is back on its base image");
        assertFalse(Files.exists(Path.of(overlay)), "the overlay is gone");
        assertFalse(Files.exists(folder), "the half copy is gone");
    }

    private static Instant at(List<LabAction> actions, String action, String vm) {
        return actions.stream().filter(a -> a.action().equals(action) && vm.equals(a.details().get("vm")))
                .map(LabAction::at).findFirst()
                .orElseThrow(() -> new AssertionError(action + " of " + vm + " not in " + actions));
    }
}

package moonshot.executor.dialect;

import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention deletes inside the backup target, and nowhere else. */
class ArtifactDeletionTest {

    static HypervisorConnection kvm(String backupTarget) {
        return new HypervisorConnection("kvm-01", HypervisorKind.KVM, Dialect.VZDUMP, "127.0.0.1", 22, "root",
                "id_lab", "SHA256:x", backupTarget, "/var/lib/libvirt/images");
    }

    @Test
    void removesAnArchiveOrAFolderInsideTheBackupTarget() {
        assertEquals("rm -rf -- '/var/lib/vz/dump/2026-11-27/vzdump-qemu-33-2026_11_27-22_00_00.vma.lzo'",
                ArtifactDeletion.command(kvm("/var/lib/vz/dump"),
                        "/var/lib/vz/dump/2026-11-27/vzdump-qemu-33-2026_11_27-22_00_00.vma.lzo"));
        assertEquals("rm -rf -- '/vmfs/volumes/backup/20261127220000/Admin'",
                ArtifactDeletion.command(kvm("/vmfs/volumes/backup/"),
                        "/vmfs/volumes/backup//20261127220000/./Admin/"));
    }

    @Test
    void quotesAPathWithSpaces() {
        assertEquals("rm -rf -- '/backups/host one/Admin'", ArtifactDeletion.command(kvm("/backups"),
                "/backups/host one/Admin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/vz/dump", "/var/lib/vz/dump/", "/var/lib/vz/dump/.", "/var/lib/vz",
            "/var/lib/vz/dumpster/x", "/var/lib/libvirt/images/Admin_node.qcow2", "/", "/etc",
            "/var/lib/vz/dump/../../../etc", "/var/lib/vz/dump/x/..", "var/lib/vz/dump/x", "",
            "/var/lib/vz/dump/$(reboot)", "/var/lib/vz/dump/x'; reboot; '", "/var/lib/vz/dump/x\nreboot",
            "/var/lib/vz/dump/*"})
    void refusesEveryPathNotStrictlyInsideTheBackupTarget(String path) {
        var refused = assertThrows(UnsafeValueException.class, () -> ArtifactDeletion.command(kvm("/var/lib/vz/dump"),
                path));
        assertTrue(!refused.getMessage().contains("\n"), refused.getMessage());
    }

    @Test
    void refusesAMissingPathAndABackupTargetThatIsTheRoot() {
        assertThrows(UnsafeValueException.class, () -> ArtifactDeletion.command(kvm("/var/lib/vz/dump"), null));
        assertThrows(UnsafeValueException.class, () -> ArtifactDeletion.command(kvm("/"), "/x"));
        assertThrows(UnsafeValueException.class, () -> ArtifactDeletion.command(kvm("//"), "/x"));
    }
}

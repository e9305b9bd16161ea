package moonshot.lab;

import java.nio.file.Path;

/**
 * Where a host keeps what: the same paths as on a real ESXi or KVM host, under the host's root.
 * The simulated tools read everything from here on every call, so a test can inspect or tamper with
 * the files and the tools see it.
 */
final class HostLayout {
    final Path root;

    HostLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path bin() {
        return root.resolve("bin");
    }

    Path actionLog() {
        return root.resolve(ActionLog.FILE_NAME);
    }

    /** What no real host has: power states, id counters. Hidden so a listing of the root looks real. */
    Path labState() {
        return root.resolve(".lab/state.properties");
    }

    Path seededMarker() {
        return root.resolve(".lab/seeded");
    }

    Path hostKey() {
        return root.resolve("etc/ssh/ssh_host_ecdsa_key");
    }

    // ESXi

    Path volumes() {
        return root.resolve("vmfs/volumes");
    }

    Path datastore1() {
        return volumes().resolve("datastore1");
    }

    Path backupDatastore() {
        return volumes().resolve("backup");
    }

    Path esxiInventory() {
        return root.resolve("etc/vmware/hostd/vmInventory.xml");
    }

    // KVM

    Path images() {
        return root.resolve("var/lib/libvirt/images");
    }

    Path domains() {
        return root.resolve("etc/libvirt/qemu");
    }

    Path vmConfigs() {
        return root.resolve("etc/pve/qemu-server");
    }

    Path dumpDir() {
        return root.resolve("var/lib/vz/dump");
    }

    Path vzdumpLock() {
        return root.resolve("var/run/vzdump.lock");
    }
}

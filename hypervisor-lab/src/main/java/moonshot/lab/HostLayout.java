package moonshot.lab;

import java.nio.file.Path;

/**
 * Where a host keeps what: the same paths as on a real ESXi or KVM host, under the host's root.
 * The simulated tools read everything from here on every call, so a test can inspect or tamper with
 * the files and the tools see it.
 */
public final class HostLayout {
    public final Path root;

    HostLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path bin() {
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

    public Path hostKey() {
        return root.resolve("etc/ssh/ssh_host_ecdsa_key");
    }

    // ESXi

    public Path volumes() {
        return root.resolve("vmfs/volumes");
    }

    public Path datastore1() {
        return volumes().resolve("datastore1");
    }

    public Path backupDatastore() {
        return volumes().resolve("backup");
    }

    public Path esxiInventory() {
        return root.resolve("etc/vmware/hostd/vmInventory.xml");
    }

    // KVM

    public Path images() {
        return root.resolve("var/lib/libvirt/images");
    }

    public Path domains() {
        return root.resolve("etc/libvirt/qemu");
    }

    public Path vmConfigs() {
        return root.resolve("etc/pve/qemu-server");
    }

    public Path dumpDir() {
        return root.resolve("var/lib/vz/dump");
    }

    Path vzdumpLock() {
        return root.resolve("var/run/vzdump.lock");
    }
}

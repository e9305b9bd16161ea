package moonshot.benchmarks;

import moonshot.lab.LabAction;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * One dialect's CONTROLLER + BAREMETAL pair: where it lives, how the lab's action log names its VMs, and the seed's
 * single command that backs both up. The lab's {@code SNAPSHOT_STARTED} lines are the witness for both modes.
 *
 * @param detailKey  the {@code SNAPSHOT_STARTED} detail that identifies the VM: {@code vm} (name) for xsibackup,
 *                   {@code vmid} for vzdump (whose line carries both {@code vmid} and {@code vm})
 * @param controller the controller VM as that detail names it
 * @param baremetal  the baremetal VM as that detail names it
 */
record PairUnderTest(String title, String hypervisor, String managementHost, String tool, String detailKey,
                     String controller, String baremetal) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    static PairUnderTest esxi() {
        return new PairUnderTest("ESXi, xsibackup-classic, esxi-01, Ctrl + Bm", "esxi-01", "mh-esxi", "xsibackup",
                "vm", "Ctrl", "Bm");
    }

    static PairUnderTest kvm() {
        return new PairUnderTest("KVM, vzdump, kvm-01, Controller (VMID 34) + Compute (VMID 35)", "kvm-01", "mh-kvm",
                "vzdump", "vmid", "34", "35");
    }

    /**
     * KVM on plain libvirt, a host of its own ({@code kvm-02}, added by the benchmark): external disk-only snapshots,
     * no per-host lock. There is no seed command for it: its table stands beside vzdump's.
     */
    static PairUnderTest libvirtExternal() {
        return new PairUnderTest("KVM, libvirt-external, kvm-02, Controller + Compute", "kvm-02", "mh-libvirt",
                "virsh", "vm", "Controller", "Compute");
    }

    boolean isVzdump() {
        return tool.equals("vzdump");
    }

    /** The seed's way: one call naming both VMs, which the tool backs up one after another. */
    boolean hasSeedCommand() {
        return !tool.equals("virsh");
    }

    String sequentialCommand(String backupTarget, Instant now) {
        if (isVzdump()) {
            return "vzdump --compress --dumpdir " + quote(backupTarget + "/" + DATE.format(now)) + " --snapshot "
                    + controller + " " + baremetal;
        }
        return "xsibackup --backup-point=" + quote(backupTarget) + " --backup-type=custom --backup-vms="
                + quote(controller + "," + baremetal);
    }

    /**
     * |SNAPSHOT_STARTED(controller) − SNAPSHOT_STARTED(baremetal)| in milliseconds (microsecond resolution) among
     * the actions of one backup; empty when either snapshot did not start.
     */
    Optional<Double> skewMillis(List<LabAction> actions) {
        Optional<Instant> first = snapshotStarted(actions, controller);
        Optional<Instant> second = snapshotStarted(actions, baremetal);
        if (first.isEmpty() || second.isEmpty()) {
            return Optional.empty();
        }
        long micros = Math.abs(java.time.Duration.between(first.get(), second.get()).toNanos()) / 1_000;
        return Optional.of(micros / 1_000.0);
    }

    /** vzdump's per-host lock: the longest wait among the actions of one backup (0 when nobody waited). */
    static long longestLockWaitMillis(List<LabAction> actions) {
        return actions.stream()
                .filter(a -> a.tool().equals("vzdump") && a.action().equals("LOCK_ACQUIRED"))
                .mapToLong(a -> Long.parseLong(a.details().getOrDefault("waitedMs", "0")))
                .max().orElse(0);
    }

    private Optional<Instant> snapshotStarted(List<LabAction> actions, String vm) {
        return actions.stream()
                .filter(a -> a.tool().equals(tool) && a.action().equals("SNAPSHOT_STARTED")
                        && vm.equals(a.detail(detailKey)))
                .map(LabAction::at)
                .findFirst();
    }

    /** POSIX single quotes, as the executor's drivers quote every value they put into a command. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

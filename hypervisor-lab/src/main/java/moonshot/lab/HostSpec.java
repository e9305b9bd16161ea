package moonshot.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A simulated hypervisor to add to the lab.
 *
 * @param name           host name, also the name of its directory under the lab root
 * @param kind           ESXi or KVM
 * @param sshPort        the SSH port on 127.0.0.1; 0 picks a free one
 * @param vms            the VMs to seed when the host's directory is new
 * @param backupDuration how long one VM's backup (or restore) takes before the speed factor; null = 2 s
 * @param powerDelay     how long one power transition takes before the speed factor; null = 1 s
 * @param deployDelay    how long after a power-on ({@code vim-cmd vmsvc/power.on}, {@code virsh start}) the
 *                       Admin dashboard stand-in reports the VM <i>Deployed</i>, before the speed factor;
 *                       null = 2 s. VMs seeded running count as deployed at once.
 */
public record HostSpec(String name, HypervisorKind kind, int sshPort, List<VmSpec> vms,
                       Duration backupDuration, Duration powerDelay, Duration deployDelay) {
    static final Duration DEFAULT_BACKUP = Duration.ofSeconds(2);
    static final Duration DEFAULT_POWER_DELAY = Duration.ofSeconds(1);
    static final Duration DEFAULT_DEPLOY_DELAY = Duration.ofSeconds(2);

    /** With the default deploy delay (2 s). */
    public HostSpec(String name, HypervisorKind kind, int sshPort, List<VmSpec> vms, Duration backupDuration,
                    Duration powerDelay) {
        this(name, kind, sshPort, vms, backupDuration, powerDelay, null);
    }

    public HostSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Names.requireHostName(name);
        if (sshPort < 0 || sshPort > 65535) {
            throw new IllegalArgumentException("sshPort out of range: " + sshPort);
        }
        vms = vms == null ? List.of() : List.copyOf(vms);
        backupDuration = backupDuration == null ? DEFAULT_BACKUP : backupDuration;
        powerDelay = powerDelay == null ? DEFAULT_POWER_DELAY : powerDelay;
        deployDelay = deployDelay == null ? DEFAULT_DEPLOY_DELAY : deployDelay;
        if (backupDuration.isNegative() || powerDelay.isNegative() || deployDelay.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }
}

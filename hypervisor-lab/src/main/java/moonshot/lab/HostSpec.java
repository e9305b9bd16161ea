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
 */
public record HostSpec(String name, HypervisorKind kind, int sshPort, List<VmSpec> vms,
                       Duration backupDuration, Duration powerDelay) {
    static final Duration DEFAULT_BACKUP = Duration.ofSeconds(2);
    static final Duration DEFAULT_POWER_DELAY = Duration.ofSeconds(1);

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
        if (backupDuration.isNegative() || powerDelay.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }
}

package moonshot.stack;

import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorLab;
import moonshot.lab.SimulatedHost;

import java.time.Duration;

/**
 * A second lab KVM host, {@code kvm-02} (the seed's KVM VMs), registered with the libvirt-external dialect and the
 * management host {@code mh-libvirt}, whose nodes report Deployed through readiness probes.
 */
public final class LibvirtExternalHost {

    public static final String HYPERVISOR = "kvm-02";
    public static final String MANAGEMENT_HOST = "mh-libvirt";

    private LibvirtExternalHost() {
    }

    public static SimulatedHost add(LocalStack stack, Duration backup, Duration powerDelay) throws Exception {
        HostSpec kvm = HypervisorLab.seedHosts().stream().filter(h -> h.name().equals("kvm-01")).findFirst()
                .orElseThrow();
        SimulatedHost host = stack.lab().addHost(new HostSpec(HYPERVISOR, kvm.kind(), 0, kvm.vms(), backup,
                powerDelay, Duration.ofMillis(500)));
        SeedInventory.registerKvm(stack.url("inventory"), host, "libvirt-external", MANAGEMENT_HOST, stack.lab());
        stack.awaitKnownEverywhere(java.util.List.of(MANAGEMENT_HOST), Duration.ofMinutes(2));
        return host;
    }
}

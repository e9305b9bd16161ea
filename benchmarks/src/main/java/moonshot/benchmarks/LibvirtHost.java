package moonshot.benchmarks;

import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorLab;
import moonshot.stack.LocalStack;
import moonshot.stack.SeedInventory;

import java.time.Duration;

/** A second lab KVM host, {@code kvm-02}, registered with the libvirt-external dialect and management host mh-libvirt. */
final class LibvirtHost {

    private LibvirtHost() {
    }

    static void add(LocalStack stack, Duration backup) throws Exception {
        HostSpec kvm = HypervisorLab.seedHosts().stream().filter(h -> h.name().equals("kvm-01")).findFirst()
                .orElseThrow();
        var host = stack.lab().addHost(new HostSpec("kvm-02", kvm.kind(), 0, kvm.vms(), backup,
                Duration.ofMillis(500)));
        SeedInventory.registerKvm(stack.url("inventory"), host, "libvirt-external", "mh-libvirt");
    }
}

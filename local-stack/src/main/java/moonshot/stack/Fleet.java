package moonshot.stack;

import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorKind;
import moonshot.lab.SimulatedHost;
import moonshot.lab.VmSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many management hosts, as a real site has them: {@code hypervisors} lab ESXi hosts {@code fleet-esxi-01…}, each
 * carrying {@code hostsPerHypervisor} management hosts {@code mh-fleet-001…} of three VMs ({@code f001-Admin},
 * {@code f001-Ctrl}, {@code f001-Bm}), registered in inventory over REST (xsibackup-classic) and applied everywhere.
 */
public final class Fleet {

    private Fleet() {
    }

    /** @return the management hosts' names, in order */
    public static List<String> add(LocalStack stack, int hypervisors, int hostsPerHypervisor, Duration backup,
                                   Duration powerDelay) throws Exception {
        List<String> managementHosts = new ArrayList<>();
        int number = 0;
        for (int h = 1; h <= hypervisors; h++) {
            List<VmSpec> vms = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            for (int m = 0; m < hostsPerHypervisor; m++) {
                number++;
                numbers.add(number);
                for (String role : List.of("Admin", "Ctrl", "Bm")) {
                    vms.add(new VmSpec(vmName(number, role), null, List.of(mac(number, role)), true));
                }
            }
            String hypervisor = String.format(Locale.ROOT, "fleet-esxi-%02d", h);
            SimulatedHost host = stack.lab().addHost(new HostSpec(hypervisor, HypervisorKind.ESXI, 0, vms, backup,
                    powerDelay));
            SeedInventory.post(stack.url("inventory") + "/hypervisors",
                    SeedInventory.hypervisor(host, "ESXI", "xsibackup-classic"));
            for (int n : numbers) {
                String name = String.format(Locale.ROOT, "mh-fleet-%03d", n);
                SeedInventory.post(stack.url("inventory") + "/management-hosts", """
                        {"name":"%s","hypervisor":"%s","nodes":[
                          {"role":"ADMIN","vmName":"%s","readinessProbe":"%s"},
                          {"role":"CONTROLLER","vmName":"%s","readinessProbe":"%s"},
                          {"role":"BAREMETAL","vmName":"%s","readinessProbe":"%s"}]}""".formatted(name, hypervisor,
                        vmName(n, "Admin"), stack.lab().readinessUrl(hypervisor, vmName(n, "Admin")),
                        vmName(n, "Ctrl"), stack.lab().readinessUrl(hypervisor, vmName(n, "Ctrl")),
                        vmName(n, "Bm"), stack.lab().readinessUrl(hypervisor, vmName(n, "Bm"))));
                managementHosts.add(name);
            }
        }
        stack.awaitKnownEverywhere(managementHosts, Duration.ofMinutes(2));
        return managementHosts;
    }

    private static String vmName(int number, String role) {
        return String.format(Locale.ROOT, "f%03d-%s", number, role);
    }

    private static String mac(int number, String role) {
        int last = switch (role) {
            case "Admin" -> 1;
            case "Ctrl" -> 2;
            default -> 3;
        };
        return String.format(Locale.ROOT, "00:50:56:b%d:%02x:%02x", number / 256 % 10, number % 256, last);
    }
}

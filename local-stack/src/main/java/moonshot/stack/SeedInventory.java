package moonshot.stack;

import moonshot.lab.HypervisorLab;
import moonshot.lab.SimulatedHost;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Registers the seed's inventory over inventory-service's REST API, as an operator would: hypervisors esxi-01
 * (xsibackup-classic) and kvm-01 (vzdump), and management hosts mh-esxi (Admin, Ctrl, Bm) and mh-kvm (Admin_node,
 * Controller, Compute with vzdump VMIDs 33, 34, 35). mh-esxi's nodes carry the lab's readiness probes; mh-kvm's
 * report Deployed through dashboard events instead, so both ways of knowing a node is Deployed are in use.
 */
public final class SeedInventory {

    /** The management hosts the seed registers. */
    public static final List<String> HOSTS = List.of("mh-esxi", "mh-kvm");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SeedInventory() {
    }

    public static void register(String inventoryUrl, HypervisorLab lab) throws IOException, InterruptedException {
        SimulatedHost esxi = lab.host("esxi-01");
        SimulatedHost kvm = lab.host("kvm-01");
        post(inventoryUrl + "/hypervisors", hypervisor(esxi, "ESXI", "xsibackup-classic"));
        post(inventoryUrl + "/management-hosts", """
                {"name":"mh-esxi","hypervisor":"esxi-01","nodes":[
                  {"role":"ADMIN","vmName":"Admin","readinessProbe":"%s"},
                  {"role":"CONTROLLER","vmName":"Ctrl","readinessProbe":"%s"},
                  {"role":"BAREMETAL","vmName":"Bm","readinessProbe":"%s"}]}""".formatted(
                lab.readinessUrl("esxi-01", "Admin"), lab.readinessUrl("esxi-01", "Ctrl"),
                lab.readinessUrl("esxi-01", "Bm")));
        registerKvm(inventoryUrl, kvm, "vzdump", "mh-kvm", null);
    }

    /**
     * Registers a lab KVM host (the seed's VMs Admin_node, Controller, Compute with VMIDs 33–35) as a hypervisor of
     * {@code dialect} and one management host on it; with {@code probes} (the lab), its nodes report Deployed through
     * the lab's readiness endpoint, else through {@code moonshot.node.status} events.
     */
    public static void registerKvm(String inventoryUrl, SimulatedHost kvm, String dialect, String managementHost,
                                   HypervisorLab probes) throws IOException, InterruptedException {
        post(inventoryUrl + "/hypervisors", hypervisor(kvm, "KVM", dialect));
        post(inventoryUrl + "/management-hosts", """
                {"name":"%s","hypervisor":"%s","nodes":[
                  {"role":"ADMIN","vmName":"Admin_node","vzdumpVmid":33%s},
                  {"role":"CONTROLLER","vmName":"Controller","vzdumpVmid":34%s},
                  {"role":"BAREMETAL","vmName":"Compute","vzdumpVmid":35%s}]}""".formatted(managementHost,
                kvm.name(), probe(probes, kvm, "Admin_node"), probe(probes, kvm, "Controller"),
                probe(probes, kvm, "Compute")));
    }

    private static String probe(HypervisorLab lab, SimulatedHost host, String vm) {
        return lab == null ? "" : ",\"readinessProbe\":\"" + lab.readinessUrl(host.name(), vm) + "\"";
    }

    static String hypervisor(SimulatedHost host, String kind, String dialect) {
        return """
                {"name":"%s","kind":"%s","dialect":"%s","address":"%s","port":%d,"user":"%s","keyFile":"%s",
                 "hostKeyFingerprint":"%s","backupTarget":"%s","runningDatastore":"%s"}""".formatted(
                host.name(), kind, dialect, host.address(), host.sshPort(), host.user(), LocalStack.KEY_FILE,
                host.hostKeyFingerprint(), host.backupTarget(), host.runningDatastore());
    }

    static void post(String url, String json) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("seeding " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}

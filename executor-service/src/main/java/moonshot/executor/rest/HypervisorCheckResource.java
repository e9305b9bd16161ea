package moonshot.executor.rest;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.HypervisorConnection;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Proves the executor can reach a hypervisor: pinned host key, key authentication, and the VM listing tool. */
@Path("/hypervisors/{name}/check")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "hypervisors")
public class HypervisorCheckResource {

    private final KnownHostRepository hosts;
    private final HypervisorClient client;

    HypervisorCheckResource(KnownHostRepository hosts, HypervisorClient client) {
        this.hosts = hosts;
        this.client = client;
    }

    public record CheckResult(String hypervisor, String address, boolean reachable, String command, Integer exitStatus,
                              long millis, String output) {
    }

    @POST
    @Operation(summary = "Connect to a hypervisor (by name) over SSH and list its VMs")
    public CheckResult check(@PathParam("name") String name) {
        HypervisorConnection hypervisor = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> hosts.hypervisor(name))
                .orElseThrow(() -> new NotFoundException("no management host on a hypervisor named '" + name
                        + "' is known to the executor"));
        String command = hypervisor.dialect().kind() == moonshot.contract.HypervisorKind.KVM ? "virsh list --all"
                : "vim-cmd vmsvc/getallvms";
        try {
            CommandResult result = client.runReconnectingOnce(hypervisor, command);
            return new CheckResult(name, hypervisor.address() + ":" + hypervisor.port(), result.succeeded(), command,
                    result.exitStatus(), result.took().toMillis(),
                    result.succeeded() ? result.stdout() : result.failureMessage());
        } catch (RuntimeException e) {
            return new CheckResult(name, hypervisor.address() + ":" + hypervisor.port(), false, command, null, 0,
                    e.getMessage());
        }
    }
}

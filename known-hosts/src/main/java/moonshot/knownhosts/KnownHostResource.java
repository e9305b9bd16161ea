package moonshot.knownhosts;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;

/**
 * What this service knows of inventory, as it applied it: a launcher or an operator can see whether a host
 * announced a moment ago has reached this service yet.
 */
@Path("/known-hosts")
@Produces(MediaType.APPLICATION_JSON)
public class KnownHostResource {

    private final KnownHostRepository hosts;

    KnownHostResource(KnownHostRepository hosts) {
        this.hosts = hosts;
    }

    public record KnownHostView(String name, String hypervisor, String dialect, boolean removed, Instant updatedAt) {
    }

    @GET
    @Transactional
    @Operation(summary = "The management hosts this service has applied from inventory.events (removed ones too)")
    public List<KnownHostView> list() {
        return hosts.listAll(io.quarkus.panache.common.Sort.by("name")).stream()
                .map(h -> new KnownHostView(h.name, h.hypervisorName(),
                        h.dialect() == null ? null : h.dialect().wireName(), h.removed, h.updatedAt))
                .toList();
    }
}

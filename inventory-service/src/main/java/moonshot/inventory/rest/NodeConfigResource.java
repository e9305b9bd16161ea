package moonshot.inventory.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import moonshot.inventory.service.DiscoveryService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/management-hosts/{idOrName}/nodes/{role}/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "discovery")
public class NodeConfigResource {

    private final DiscoveryService service;

    NodeConfigResource(DiscoveryService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The node's VM configuration (.vmx or domain XML) as the latest discovery captured it")
    public NodeConfigView get(@PathParam("idOrName") String idOrName, @PathParam("role") String role) {
        return Views.of(service.nodeConfig(idOrName, role));
    }
}

package moonshot.inventory.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import moonshot.inventory.service.DiscoveryService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/management-hosts/{idOrName}/discovery")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "discovery")
public class DiscoveryResource {

    private final DiscoveryService service;

    DiscoveryResource(DiscoveryService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Ask the executor to list the VMs on the host's hypervisor and capture each node's MACs "
            + "and configuration; answers at once (202) with the REQUESTED discovery")
    public Response request(@PathParam("idOrName") String idOrName, @Context UriInfo uri) {
        var view = Views.of(service.request(idOrName));
        return Response.accepted(view).location(uri.getAbsolutePathBuilder().path(view.id().toString()).build())
                .build();
    }

    @GET
    @Operation(summary = "The host's latest discovery: per node what the hypervisor shows, and the differences")
    public DiscoveryView latest(@PathParam("idOrName") String idOrName) {
        return Views.of(service.latest(idOrName));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One discovery of the host")
    public DiscoveryView get(@PathParam("idOrName") String idOrName, @PathParam("id") String id) {
        return Views.of(service.get(idOrName, id));
    }
}
